"""Instructions mention the install path derived from __file__."""
from pathlib import Path

from openai import OpenAI

client = OpenAI()

PLUGIN_DIR = Path(__file__).resolve().parent / "plugins"  # expect: CL103

INSTRUCTIONS = (
    "You are a plugin-authoring assistant. Plugins are Python files with a register() function. "
    f"Installed plugins live in {PLUGIN_DIR}."
)


def help_author(question: str) -> str:
    response = client.responses.create(
        model="gpt-4.1",
        instructions=INSTRUCTIONS,
        input=[{"role": "user", "content": question}],
    )
    return response.output_text
