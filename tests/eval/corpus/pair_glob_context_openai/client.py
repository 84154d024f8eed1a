"""OpenAI call site; the system message comes from prompts.render_rules."""
from pathlib import Path

from openai import OpenAI

from .prompts import render_rules

client = OpenAI()
PROJECT_ROOT = Path("/srv/review-bot")


def review(diff: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4.1",
        messages=[
            {"role": "system", "content": render_rules(PROJECT_ROOT)},
            {"role": "user", "content": diff},
        ],
    )
    return completion.choices[0].message.content
