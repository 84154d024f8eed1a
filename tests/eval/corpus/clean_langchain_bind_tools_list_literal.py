"""LangChain bind_tools with a list literal of tools and a static system prompt."""
from langchain_anthropic import ChatAnthropic
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool


@tool
def convert_currency(amount: float, source: str, target: str) -> float:
    """Convert an amount between two ISO currency codes."""
    return amount


@tool
def vat_rate(country: str) -> float:
    """Standard VAT rate for an EU country code."""
    return 0.2


llm = ChatAnthropic(model="claude-haiku-4-5").bind_tools([convert_currency, vat_rate])

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "You are a pricing assistant for cross-border e-commerce. Show the maths."),
        ("placeholder", "{history}"),
        ("human", "{question}"),
    ]
)

chain = prompt | llm


def ask(question: str, history: list):
    return chain.invoke({"question": question, "history": history})
