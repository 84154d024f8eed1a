"""A file tool whose description names the absolute project root (Path.cwd())."""
from pathlib import Path

import anthropic

client = anthropic.Anthropic()


def file_tools() -> list[dict]:
    root = Path.cwd()  # expect: CL103
    return [
        {
            "name": "list_dir",
            "description": f"List a directory. Paths are resolved against {root}.",
            "input_schema": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
            },
        }
    ]


def explore(question: str):
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=1000,
        tools=file_tools(),
        messages=[{"role": "user", "content": question}],
    )
