"""An API response serialized without sort_keys, but only into the newest user message."""
import json

import anthropic
import httpx

client = anthropic.Anthropic()

SYSTEM = """You are a shipment tracking assistant. Explain the carrier's tracking events
in plain language and estimate whether the parcel is on time."""


def explain_tracking(tracking_number: str, question: str) -> str:
    events = httpx.get(f"https://carrier.example/track/{tracking_number}", timeout=5).json()
    user_text = f"{question}\n\nTracking data:\n{json.dumps(events, indent=2)}"
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=700,
        system=SYSTEM,
        messages=[{"role": "user", "content": user_text}],
    )
    return response.content[0].text
