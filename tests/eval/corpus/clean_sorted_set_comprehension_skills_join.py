"""<available_skills> joined from a sorted set comprehension (the case 19 fix)."""
from anthropic import Anthropic

client = Anthropic()


def available_skills_block(skills: list[dict]) -> str:
    names = sorted({skill["name"] for skill in skills})
    return "<available_skills>\n" + "\n".join(names) + "\n</available_skills>"


def respond(skills: list[dict], messages: list[dict]) -> str:
    system = "You are a workspace assistant. Load a skill before using it.\n" + available_skills_block(skills)
    reply = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2048,
        system=system,
        messages=messages,
    )
    return reply.content[0].text
