"""Tool definitions loaded from JSON files found with Path.iterdir()."""
import json
from pathlib import Path

from anthropic import Anthropic

client = Anthropic()
TOOLS_DIR = Path("tool_specs")


def load_tools() -> list[dict]:
    tools = []
    for spec_file in TOOLS_DIR.iterdir():  # expect: CL202
        if spec_file.suffix == ".json":
            tools.append(json.loads(spec_file.read_text()))
    return tools


def run(question: str):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        tools=load_tools(),
        system="Use the tools to answer questions about the inventory.",
        messages=[{"role": "user", "content": question}],
    )
