"""LangChain template: long static rules first, customer placeholders at the end."""
from langchain_anthropic import ChatAnthropic
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

SUPPORT_RULES = """You are the support assistant for Lumen Smart Home devices. Troubleshoot step by
step: confirm the device model and firmware version, check power and network status, then walk
through the reset procedure from the manual. Never ask for the customer's Wi-Fi password. Offer an
RMA only when the device fails the self-test twice. For safety issues (smoke, heat, sparks) tell
the customer to unplug the device immediately and contact support by phone. Keep each step on its
own numbered line and wait for confirmation before continuing."""

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", SUPPORT_RULES + "\n\nCustomer: {customer_name} (tier: {tier})"),
        MessagesPlaceholder("history"),
        ("human", "{question}"),
    ]
)
chain = prompt | ChatAnthropic(model="claude-sonnet-4-5", max_tokens=800)


def answer(customer: dict, history: list, question: str) -> str:
    out = chain.invoke({"customer_name": customer["name"], "tier": customer["tier"],
                        "history": history, "question": question})
    return out.content
