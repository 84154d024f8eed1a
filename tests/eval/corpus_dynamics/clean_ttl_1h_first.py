"""One-hour TTL on the stable system prompt, default TTL on the conversation tail."""
import anthropic

client = anthropic.Anthropic()
RULES = open("rules.md").read()


def step(history: list[dict], text: str):
    return client.messages.create(
        model="claude-opus-4-5",
        max_tokens=2048,
        system=[{"type": "text", "text": RULES, "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
        messages=[*history, {"role": "user", "content": [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}]}],
    )
