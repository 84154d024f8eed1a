"""Coding agent that tells the model its working directory (case 18)."""
import os

import anthropic

client = anthropic.Anthropic()

CODING_RULES = """You are a terminal coding assistant.
Read files before editing them. Keep edits minimal and explain each one.
Run the project's formatter after editing Python files."""

TOOLS = [
    {"name": "read_file", "description": "Read a file relative to the working directory.",
     "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}},
    {"name": "write_file", "description": "Write a file relative to the working directory.",
     "input_schema": {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}}}},
]


def system_prompt() -> str:
    workdir = os.getcwd()  # expect: CL103
    return CODING_RULES + "\nWorking directory: " + workdir


def turn(messages: list[dict]):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=4096,
        tools=TOOLS,
        system=system_prompt(),
        messages=messages,
    )
