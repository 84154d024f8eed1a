"""Coding agent that masks old tool outputs on every step to save tokens."""
import anthropic

from .tools import TOOLS, run_tools

client = anthropic.Anthropic()
KEEP_RECENT = 6


def mask_old_outputs(messages: list[dict]) -> None:
    for message in messages[:-KEEP_RECENT]:
        if message["role"] != "user" or isinstance(message["content"], str):
            continue
        for block in message["content"]:
            if block.get("type") == "tool_result":
                block["content"] = "[output elided]"  # expect: CL502


def run(task: str) -> None:
    messages = [{"role": "user", "content": task}]
    while True:
        mask_old_outputs(messages)
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=4096, tools=TOOLS, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason != "tool_use":
            break
        messages.append({"role": "user", "content": run_tools(reply.content)})
