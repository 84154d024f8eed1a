"""pydantic-ai: static instructions; the time is part of the user prompt of this run."""
from datetime import datetime

from pydantic_ai import Agent

agent = Agent(
    "openai:gpt-4o",
    instructions=(
        "You are a reminder assistant. Turn the user's request into a reminder with an "
        "absolute date and time. Ask when the request is ambiguous."
    ),
)


def make_reminder(request: str) -> str:
    now = datetime.now().strftime("%Y-%m-%d %H:%M")
    result = agent.run_sync(f"Current time: {now}\nRequest: {request}")
    return result.output


if __name__ == "__main__":
    print(make_reminder("call the plumber tomorrow morning"))
