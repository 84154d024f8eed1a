"""LangChain: static SystemMessage; today's date in the newest HumanMessage."""
from datetime import date

from langchain_anthropic import ChatAnthropic
from langchain_core.messages import HumanMessage, SystemMessage

llm = ChatAnthropic(model="claude-haiku-4-5")

SYSTEM = SystemMessage(
    content="You are a gardening assistant for a temperate climate. "
    "Recommend tasks suited to the season the user is in."
)


def advise(question: str, history: list) -> str:
    latest = HumanMessage(content=f"Date: {date.today():%d %B %Y}\n{question}")
    return llm.invoke([SYSTEM, *history, latest]).content


if __name__ == "__main__":
    print(advise("What should I plant now?", []))
