"""pydantic-ai agent with static instructions; the current time is put into the user prompt."""
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic_ai import Agent

agent = Agent(
    "anthropic:claude-sonnet-4-5",
    instructions=(
        "You are a restaurant booking assistant. Only offer tables within opening hours "
        "(12:00-15:00 and 18:00-23:00) and never double-book a table."
    ),
)


async def book(request: str, history=None) -> str:
    now = datetime.now(ZoneInfo("Europe/Madrid"))
    prompt = f"(It is {now:%A %H:%M} in Madrid.) {request}"
    result = await agent.run(prompt, message_history=history)
    return result.output
