"""An upload reference (uuid) is mentioned in the final user turn only."""
import uuid

from anthropic import Anthropic

client = Anthropic()

SYSTEM = """You are a spreadsheet analyst. When the user uploads a file you receive
its reference id; call the read_sheet tool with that id."""

TOOLS = [
    {"name": "read_sheet", "description": "Read a spreadsheet by upload reference.",
     "input_schema": {"type": "object", "properties": {"ref": {"type": "string"}}, "required": ["ref"]}},
]


def analyse(history: list[dict], question: str) -> str:
    upload_ref = uuid.uuid4().hex
    messages = history + [{"role": "user", "content": f"{question}\n(upload ref: {upload_ref})"}]
    response = client.messages.create(
        model="claude-sonnet-4-5", max_tokens=1500, system=SYSTEM, tools=TOOLS, messages=messages
    )
    return response.content[0].text
