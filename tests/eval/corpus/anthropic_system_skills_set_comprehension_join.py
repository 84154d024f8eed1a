"""<available_skills> built by joining a set comprehension (case 19)."""
from dataclasses import dataclass

from anthropic import Anthropic

client = Anthropic()


@dataclass
class Skill:
    name: str
    summary: str


def available_skills_block(skills: list[Skill]) -> str:
    names = {skill.name for skill in skills}  # expect: CL201
    return "<available_skills>\n" + "\n".join(names) + "\n</available_skills>"


def respond(skills: list[Skill], messages: list[dict]) -> str:
    system = "You are a workspace assistant. Load a skill before using it.\n" + available_skills_block(skills)
    reply = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2048,
        system=system,
        messages=messages,
    )
    return reply.content[0].text
