"""Volatile content sits after the last cache_control breakpoint, so it is never cached."""
from datetime import datetime

import anthropic

client = anthropic.Anthropic()

HANDBOOK = """You are the engineering handbook assistant.
Answer questions about code review, on-call, incident response and release processes.
Quote the handbook section number when you answer."""


def ask(question: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1200,
        system=[
            {"type": "text", "text": HANDBOOK, "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": f"Local time: {datetime.now():%H:%M:%S}"},
        ],
        messages=[{"role": "user", "content": question}],
    )
    return response.content[0].text
