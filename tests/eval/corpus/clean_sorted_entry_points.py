"""Plugin tools from entry points, sorted by entry-point name."""
from importlib.metadata import entry_points

import anthropic

client = anthropic.Anthropic()


def plugin_tools() -> list[dict]:
    tools = []
    for ep in sorted(entry_points(group="acme_agent.tools"), key=lambda e: e.name):
        plugin = ep.load()
        tools.append({"name": ep.name, "description": plugin.DESCRIPTION, "input_schema": plugin.INPUT_SCHEMA})
    return tools


def run(messages: list[dict]):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2000,
        tools=plugin_tools(),
        system="You are Acme's extensible agent. Prefer plugin tools over guessing.",
        messages=messages,
    )
