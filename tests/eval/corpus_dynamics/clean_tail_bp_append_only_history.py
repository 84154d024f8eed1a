"""Chat loop with a static-prefix breakpoint and a moving 5-minute tail breakpoint."""
import anthropic

client = anthropic.Anthropic()
SYSTEM = open("assistant.md").read()


def chat() -> None:
    history: list[dict] = []
    while True:
        text = input("> ")
        for message in history:
            if isinstance(message["content"], list):
                message["content"][-1].pop("cache_control", None)
        history.append({"role": "user", "content": [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}]})
        reply = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            system=[{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
            messages=history,
        )
        history.append({"role": "assistant", "content": reply.content})
