"""Support bot that tells the model the current time, to the second, in the system prompt."""
from datetime import datetime

import anthropic

client = anthropic.Anthropic()

BASE_PROMPT = """You are Ada, the support assistant for Northwind Storage.
Answer questions about orders, invoices and shipping.
Be concise. Never invent order numbers. If you are unsure, ask for the order id.
Escalate refunds above 500 EUR to a human agent by calling the escalate tool."""

TOOLS = [
    {
        "name": "lookup_order",
        "description": "Look up an order by its id and return status, items and totals.",
        "input_schema": {
            "type": "object",
            "properties": {"order_id": {"type": "string"}},
            "required": ["order_id"],
        },
    },
    {
        "name": "escalate",
        "description": "Hand the conversation to a human agent.",
        "input_schema": {"type": "object", "properties": {"reason": {"type": "string"}}},
    },
]


def answer(question: str) -> str:
    now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")  # expect: CL101
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        tools=TOOLS,
        system=f"{BASE_PROMPT}\n\nCurrent time: {now}",
        messages=[{"role": "user", "content": question}],
    )
    return "".join(block.text for block in response.content if block.type == "text")
