"""LangChain support chain: the system template opens with customer placeholders."""
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_openai import ChatOpenAI

SUPPORT_RULES = """You are the support assistant for Lumen Smart Home devices. Troubleshoot step by
step: confirm the device model and firmware version, check the power and network status, then walk
through the reset procedure from the manual. Never ask for the customer's Wi-Fi password. Offer an
RMA only when the device fails the self-test twice, and explain the shipping steps when you do.
For safety issues (smoke, heat, sparks) tell the customer to unplug the device immediately and
contact support by phone. Keep each step on its own numbered line and wait for confirmation
before continuing. Use the customer's language and avoid jargon wherever possible."""

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "Customer: {customer_name} (tier: {tier}, devices: {devices})\n\n" + SUPPORT_RULES),  # expect: CL301
        MessagesPlaceholder("history"),
        ("human", "{question}"),
    ]
)
chain = prompt | ChatOpenAI(model="gpt-5-mini")


def answer(customer: dict, history: list, question: str) -> str:
    result = chain.invoke({
        "customer_name": customer["name"],
        "tier": customer["tier"],
        "devices": ", ".join(customer["devices"]),
        "history": history,
        "question": question,
    })
    return result.content
