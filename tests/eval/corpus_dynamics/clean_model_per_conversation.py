"""A/B test that assigns a model per conversation, not per call."""
import random

import anthropic

client = anthropic.Anthropic()
ARMS = ["claude-sonnet-4-5", "claude-haiku-4-5"]


def conversation() -> None:
    model = random.choice(ARMS)
    messages: list[dict] = []
    while True:
        messages.append({"role": "user", "content": input("> ")})
        reply = client.messages.create(model=model, max_tokens=512, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
