"""A content hash of the sorted tool specs names the prompt version: canonical, stable."""
import hashlib
import json

import anthropic

client = anthropic.Anthropic()

TOOLS = [
    {"name": "get_stock", "description": "Stock level for a SKU.",
     "input_schema": {"type": "object", "properties": {"sku": {"type": "string"}}}},
    {"name": "reorder", "description": "Create a purchase order for a SKU.",
     "input_schema": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}}}},
]

TOOLS_VERSION = hashlib.sha256(json.dumps(TOOLS, sort_keys=True).encode()).hexdigest()[:12]
SYSTEM = f"You are the inventory assistant. Tool catalogue version {TOOLS_VERSION}."


def ask(question: str):
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=600,
        tools=TOOLS,
        system=SYSTEM,
        messages=[{"role": "user", "content": question}],
    )
