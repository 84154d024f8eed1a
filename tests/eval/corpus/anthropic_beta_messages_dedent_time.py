"""Beta messages API with a dedented multi-line system prompt carrying the time."""
import textwrap
from datetime import datetime

import anthropic

client = anthropic.Anthropic()


def build_system(product: str) -> str:
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")  # expect: CL101
    return textwrap.dedent(
        f"""\
        You are the release-notes writer for {product}.
        Group changes into Features, Fixes and Internal.
        Link every item to its pull request.
        Write in the present tense and keep each item to one sentence.
        Notes generated at {generated}.
        """
    )


def write_notes(product: str, commits: list[str]) -> str:
    response = client.beta.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=3000,
        betas=["context-1m-2025-08-07"],
        system=build_system(product),
        messages=[{"role": "user", "content": "\n".join(commits)}],
    )
    return response.content[0].text
