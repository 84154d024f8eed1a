"""The transcript is saved under a timestamped file name; the prompt never sees it."""
import json
from datetime import datetime
from pathlib import Path

import anthropic

client = anthropic.Anthropic()
TRANSCRIPTS = Path("transcripts")

SYSTEM = """You are an interview practice partner for software engineers.
Ask one behavioural question at a time and give feedback using the STAR method."""


def practice(messages: list[dict]) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1000,
        system=SYSTEM,
        messages=messages,
    )
    reply = response.content[0].text
    TRANSCRIPTS.mkdir(exist_ok=True)
    out = TRANSCRIPTS / f"session-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(messages + [{"role": "assistant", "content": reply}], indent=2))
    return reply
