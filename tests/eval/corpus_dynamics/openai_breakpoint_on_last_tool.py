"""Tool list ported from an Anthropic agent: the breakpoint moved from cache_control to the last tool."""
from openai import OpenAI

client = OpenAI()

TOOLS = [
    {
        "type": "function",
        "name": "search_orders",
        "description": "Search the customer's orders by product name or order number.",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
    },
    {
        "type": "function",
        "name": "refund_order",
        "description": "Refund an order that is inside the return window.",
        "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
        "prompt_cache_breakpoint": {"mode": "explicit"},  # expect: CL408
    },
]


def step(items: list[dict]):
    return client.responses.create(model="gpt-5.6", tools=TOOLS, input=items)
