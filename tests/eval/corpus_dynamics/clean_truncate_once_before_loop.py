"""Resumes a saved session: the saved history is cut once, then only appended to."""
import json

import anthropic

client = anthropic.Anthropic()


def resume(path: str) -> None:
    saved = json.load(open(path))
    messages = saved["messages"][-40:]
    while True:
        messages.append({"role": "user", "content": input("> ")})
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
