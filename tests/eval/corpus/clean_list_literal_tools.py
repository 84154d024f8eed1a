"""A plain list literal of tool names decides tool order."""
from openai import OpenAI

client = OpenAI()

TOOL_ORDER = ["search_flights", "hold_seat", "cancel_hold"]
DESCRIPTIONS = {
    "search_flights": "Search flights between two airports on a date.",
    "hold_seat": "Hold a seat on a flight for 20 minutes.",
    "cancel_hold": "Release a held seat.",
}


def tools() -> list[dict]:
    out = []
    for name in TOOL_ORDER:
        out.append({
            "type": "function",
            "name": name,
            "description": DESCRIPTIONS[name],
            "parameters": {"type": "object", "properties": {}},
        })
    return out


def book(request: str):
    return client.responses.create(
        model="gpt-4.1",
        instructions="You are a flight booking agent. Hold before you confirm.",
        input=request,
        tools=tools(),
    )
