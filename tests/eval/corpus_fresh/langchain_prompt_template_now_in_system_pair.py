"""LangChain chain whose system pair carries the current time, filled in at invoke time."""
from datetime import datetime

from langchain_anthropic import ChatAnthropic
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "You are a scheduling assistant for the clinic. Offer at most three slots.\n"
                   "Current local time: {now}"),
        MessagesPlaceholder("history"),
        ("human", "{request}"),
    ]
)
chain = prompt | ChatAnthropic(model="claude-sonnet-4-5", max_tokens=500)


def schedule(history: list, request: str) -> str:
    now = datetime.now().strftime("%A %d %B %Y, %H:%M")  # expect: CL101
    result = chain.invoke({"now": now, "history": history, "request": request})
    return result.content
