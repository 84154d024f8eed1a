"""os.getcwd() locates a prompt file; only the file's constant content is sent."""
import os

import anthropic

client = anthropic.Anthropic()


def load_system_prompt() -> str:
    path = os.path.join(os.getcwd(), "prompts", "reviewer.md")
    with open(path, encoding="utf-8") as fh:
        return fh.read()


SYSTEM = load_system_prompt()


def review(pr_description: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        system=SYSTEM,
        messages=[{"role": "user", "content": pr_description}],
    )
    return response.content[0].text
