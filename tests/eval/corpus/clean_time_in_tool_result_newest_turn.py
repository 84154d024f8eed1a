"""A get_time tool returns the clock as a tool_result in the newest turn."""
from datetime import datetime

import anthropic

client = anthropic.Anthropic()

TOOLS = [
    {"name": "get_time", "description": "Return the current local time.",
     "input_schema": {"type": "object", "properties": {}}},
]
SYSTEM = "You are a helpful assistant. Call get_time when you need the current time."


def run(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    while True:
        response = client.messages.create(
            model="claude-haiku-4-5", max_tokens=500, tools=TOOLS, system=SYSTEM, messages=messages
        )
        if response.stop_reason != "tool_use":
            return response.content[0].text
        messages.append({"role": "assistant", "content": response.content})
        results = [
            {"type": "tool_result", "tool_use_id": b.id, "content": datetime.now().isoformat()}
            for b in response.content
            if b.type == "tool_use"
        ]
        messages.append({"role": "user", "content": results})
