"""Adds a reminder to the newest user message only."""
import anthropic

client = anthropic.Anthropic()


def chat() -> None:
    history: list[dict] = []
    while True:
        history.append({"role": "user", "content": input("> ")})
        history[-1]["content"] = history[-1]["content"] + "\n\n(Answer in English.)"
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=history)
        history.append({"role": "assistant", "content": reply.content})
