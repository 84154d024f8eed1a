"""Marks only the last tool and the last two messages; strips older markers first."""
import anthropic

client = anthropic.Anthropic()


def call(tools: list[dict], messages: list[dict]):
    for message in messages:
        for block in message["content"]:
            block.pop("cache_control", None)
    tools[-1]["cache_control"] = {"type": "ephemeral"}
    for message in messages[-2:]:
        message["content"][-1]["cache_control"] = {"type": "ephemeral"}
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, tools=tools, messages=messages)
