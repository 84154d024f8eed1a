"""A set is used only for membership tests; the tools keep list order."""
from openai import OpenAI

client = OpenAI()

ALL_TOOLS = [
    {"type": "function", "function": {"name": "read_file", "description": "Read a file.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}},
    {"type": "function", "function": {"name": "write_file", "description": "Write a file.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}},
    {"type": "function", "function": {"name": "delete_file", "description": "Delete a file.",
                                      "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}},
]

READ_ONLY = {"read_file"}
DANGEROUS = {"delete_file", "write_file"}


def tools_for(mode: str) -> list[dict]:
    if mode == "read-only":
        return [t for t in ALL_TOOLS if t["function"]["name"] in READ_ONLY]
    return [t for t in ALL_TOOLS if mode == "admin" or t["function"]["name"] not in DANGEROUS]


def chat(mode: str, messages: list[dict]):
    return client.chat.completions.create(model="gpt-4.1", messages=messages, tools=tools_for(mode))
