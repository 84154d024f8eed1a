"""Context files are read in sorted(os.listdir()) order."""
import os

import anthropic

client = anthropic.Anthropic()
CONTEXT_DIR = "context"


def load_context() -> str:
    sections = []
    for name in sorted(os.listdir(CONTEXT_DIR)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(CONTEXT_DIR, name), encoding="utf-8") as fh:
            sections.append(f"## {name}\n{fh.read()}")
    return "\n\n".join(sections)


def chat(messages: list[dict]) -> str:
    system = "You are the project assistant. Use the context files below.\n\n" + load_context()
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2048,
        system=system,
        messages=messages,
    )
    return response.content[0].text
