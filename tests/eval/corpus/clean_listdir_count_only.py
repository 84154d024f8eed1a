"""os.listdir is used only for a count and a membership check."""
import os

import anthropic

client = anthropic.Anthropic()
INBOX = "/srv/inbox"

SYSTEM = """You are an email triage assistant. Sort messages into urgent, normal and later.
Urgent means a customer is blocked or money is at risk."""


def triage(message: str) -> str:
    pending = os.listdir(INBOX)
    if len(pending) > 500 or "PAUSE" in pending:
        return "later"
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=5,
        system=SYSTEM,
        messages=[{"role": "user", "content": message}],
    )
    return response.content[0].text.strip()
