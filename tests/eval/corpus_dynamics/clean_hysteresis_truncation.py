"""Chat that trims in a large step when over 60 messages, keeping the last 30."""
import anthropic

client = anthropic.Anthropic()
HIGH_WATER = 60
LOW_WATER = 30


def chat() -> None:
    messages: list[dict] = []
    while True:
        messages.append({"role": "user", "content": input("> ")})
        if len(messages) > HIGH_WATER:
            messages = messages[-LOW_WATER:]
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
