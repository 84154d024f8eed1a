"""Batch job without a breakpoint, but the prompt is read at runtime (its size is unknown here)."""
from pathlib import Path

import anthropic

client = anthropic.Anthropic()


def run(prompt_file: Path, items: list[str]) -> list[str]:
    system = prompt_file.read_text()
    out = []
    for item in items:
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=200, system=system, messages=[{"role": "user", "content": item}])
        out.append(reply.content[0].text)
    return out
