"""Single-shot classifier: the fetched order JSON goes into the one (newest) user message."""
import json

import httpx
from anthropic import AsyncAnthropic

client = AsyncAnthropic()
SYSTEM = (
    "Classify the customer's order problem as one of: late, damaged, wrong_item, billing, other. "
    "Answer with the label only."
)


async def classify(order_id: str, complaint: str) -> str:
    async with httpx.AsyncClient(base_url="https://orders.internal") as http:
        order = (await http.get(f"/orders/{order_id}")).json()
    prompt = f"Order:\n{json.dumps(order, indent=2)}\n\nComplaint:\n{complaint}"
    response = await client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=10,
        system=SYSTEM,
        messages=[{"role": "user", "content": prompt}],
    )
    return response.content[0].text.strip()
