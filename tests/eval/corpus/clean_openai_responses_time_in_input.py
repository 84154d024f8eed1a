"""Responses API: static instructions; the date travels in the user input."""
from datetime import datetime

from openai import OpenAI

client = OpenAI()

INSTRUCTIONS = """You are an expense-report assistant.
Categorise each receipt as travel, meals, lodging or other.
Flag receipts older than 90 days relative to the date the user gives you."""


def categorise(receipts: list[str]) -> str:
    today = datetime.now().strftime("%Y-%m-%d %H:%M")
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=INSTRUCTIONS,
        input=[
            {"role": "user", "content": f"Today is {today}. Receipts:\n" + "\n".join(receipts)},
        ],
    )
    return response.output_text
