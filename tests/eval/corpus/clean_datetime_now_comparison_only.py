"""datetime.now() decides whether to answer at all; it is never formatted into text."""
from datetime import datetime, time as dtime

import anthropic

client = anthropic.Anthropic()

OPENING = dtime(8, 0)
CLOSING = dtime(20, 0)
SYSTEM = "You are the after-sales assistant of a bike shop. Keep answers under 100 words."
CLOSED_REPLY = "Our assistant is available from 08:00 to 20:00."


def handle(question: str) -> str:
    current = datetime.now().time()
    if not (OPENING <= current < CLOSING):
        return CLOSED_REPLY
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=400,
        system=SYSTEM,
        messages=[{"role": "user", "content": question}],
    )
    return response.content[0].text
