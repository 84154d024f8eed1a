"""Coding agent: tools cached for 5 minutes, system prompt for an hour (wrong order)."""
import anthropic

from .tools import TOOL_DEFINITIONS

client = anthropic.Anthropic()
CODING_RULES = open("CODING_RULES.md").read()


def step(messages: list[dict]):
    tools = [*TOOL_DEFINITIONS[:-1], {**TOOL_DEFINITIONS[-1], "cache_control": {"type": "ephemeral", "ttl": "5m"}}]
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=4096,
        tools=tools,
        system=[
            {"type": "text", "text": CODING_RULES, "cache_control": {"type": "ephemeral", "ttl": "1h"}},  # expect: CL403
        ],
        messages=messages,
    )
