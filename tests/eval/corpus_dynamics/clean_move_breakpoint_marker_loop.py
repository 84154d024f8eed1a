"""Moves the tail breakpoint every turn: marker changes do not change cached bytes."""
import anthropic

client = anthropic.Anthropic()


def chat() -> None:
    messages: list[dict] = []
    while True:
        for message in messages:
            if isinstance(message["content"], list):
                message["content"][-1]["cache_control"] = None
        messages.append({"role": "user", "content": [{"type": "text", "text": input("> ")}]})
        messages[-1]["content"][-1]["cache_control"] = {"type": "ephemeral"}
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
