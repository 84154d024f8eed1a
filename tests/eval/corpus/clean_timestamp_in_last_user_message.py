"""The timestamp goes only into the newest user message; system and tools are static."""
from datetime import datetime

import anthropic

client = anthropic.Anthropic()

SYSTEM = """You are a scheduling assistant for a dental practice.
Offer the three earliest free slots that match the patient's request.
Never double-book a chair. Appointments last 30 or 60 minutes."""

TOOLS = [
    {
        "name": "free_slots",
        "description": "Return free appointment slots for a given day.",
        "input_schema": {"type": "object", "properties": {"day": {"type": "string"}}, "required": ["day"]},
    }
]


def ask(question: str):
    now = datetime.now().strftime("%Y-%m-%d %H:%M")
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=800,
        system=[{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}],
        tools=TOOLS,
        messages=[{"role": "user", "content": f"(Sent at {now})\n{question}"}],
    )
