"""Each worker writes usage to a file named after its pid."""
import json
import os
from pathlib import Path

from openai import OpenAI

client = OpenAI()
USAGE_LOG = Path("logs") / f"usage-{os.getpid()}.jsonl"

SYSTEM = {"role": "system", "content": "You rewrite product titles to be under 60 characters."}


def shorten(title: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[SYSTEM, {"role": "user", "content": title}],
    )
    USAGE_LOG.parent.mkdir(exist_ok=True)
    with USAGE_LOG.open("a") as fh:
        fh.write(json.dumps({"prompt_tokens": completion.usage.prompt_tokens}) + "\n")
    return completion.choices[0].message.content
