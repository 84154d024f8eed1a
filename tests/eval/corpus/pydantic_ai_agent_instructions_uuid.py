"""pydantic-ai Agent built per request with a uuid in its instructions."""
import uuid

from pydantic_ai import Agent

BASE_INSTRUCTIONS = (
    "You are a meeting-notes assistant. Produce decisions, action items with owners, "
    "and open questions. Use the attendees' first names."
)


def summarise_meeting(transcript: str) -> str:
    ticket = uuid.uuid4()  # expect: CL102
    agent = Agent(
        "openai:gpt-4o",
        instructions=f"{BASE_INSTRUCTIONS}\nNotes ticket: {ticket}",
    )
    result = agent.run_sync(transcript)
    return result.output


if __name__ == "__main__":
    print(summarise_meeting("Ana: we ship Friday. Bo: I will update the docs."))
