"""LangChain home assistant: SystemMessage ends with the time of day (case 4)."""
from datetime import datetime

from langchain_anthropic import ChatAnthropic
from langchain_core.messages import HumanMessage, SystemMessage

llm = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=1024)

HOME_RULES = (
    "You control a smart home. Devices: living room lights, thermostat, front door lock. "
    "Confirm before unlocking doors. Prefer scenes over individual devices."
)


def respond(user_text: str, history: list) -> str:
    now_text = datetime.now().strftime("%H:%M:%S")  # expect: CL101
    messages = [
        SystemMessage(content=f"{HOME_RULES}\nThe time is {now_text}."),
        *history,
        HumanMessage(content=user_text),
    ]
    return llm.invoke(messages).content
