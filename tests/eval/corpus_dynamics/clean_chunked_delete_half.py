"""Drops the older half of the history when it passes 80 messages (chunked eviction)."""
import anthropic

client = anthropic.Anthropic()


def chat() -> None:
    history: list[dict] = []
    while True:
        history.append({"role": "user", "content": input("> ")})
        if len(history) > 80:
            del history[: len(history) - 40]
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=history)
        history.append({"role": "assistant", "content": reply.content})
