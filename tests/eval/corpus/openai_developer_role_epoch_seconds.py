"""OpenAI developer-role message carrying the Unix epoch for 'freshness' checks."""
import time

import openai

client = openai.OpenAI()

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_quote",
            "description": "Latest price for a ticker symbol.",
            "parameters": {
                "type": "object",
                "properties": {"symbol": {"type": "string"}},
                "required": ["symbol"],
            },
        },
    }
]


def developer_message() -> dict:
    epoch = int(time.time())  # expect: CL101
    return {
        "role": "developer",
        "content": f"You are a markets assistant. Quotes older than 60 s before epoch {epoch} are stale.",
    }


def chat(history: list[dict], user_text: str):
    messages = [developer_message(), *history, {"role": "user", "content": user_text}]
    return client.chat.completions.create(model="gpt-4.1", messages=messages, tools=TOOLS)
