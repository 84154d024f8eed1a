"""OpenAI chat: static system and tools; the clock is in the final user message."""
from datetime import datetime

from openai import OpenAI

client = OpenAI()

SYSTEM = {"role": "system", "content": "You are a parking assistant. Compute fees from the tariff tool."}
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "tariff",
            "description": "Return the hourly tariff for a car park.",
            "parameters": {"type": "object", "properties": {"car_park": {"type": "string"}}},
        },
    }
]


def fee(history: list[dict], question: str):
    user = {"role": "user", "content": f"It is {datetime.now():%H:%M}. {question}"}
    return client.chat.completions.create(model="gpt-4o", messages=[SYSTEM, *history, user], tools=TOOLS)
