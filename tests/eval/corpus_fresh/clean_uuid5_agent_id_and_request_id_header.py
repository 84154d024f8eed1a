"""The agent id is a uuid5 of a constant; the per-request uuid4 only goes to headers and metadata."""
import uuid

import anthropic

client = anthropic.Anthropic()
AGENT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://support.example.com/agents/tier1")
SYSTEM = f"You are support agent {AGENT_ID}. Resolve tier-1 tickets and escalate the rest."


def handle(history: list[dict], text: str, customer_id: str):
    request_id = uuid.uuid4().hex
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=800,
        system=SYSTEM,
        messages=[*history, {"role": "user", "content": text}],
        metadata={"user_id": customer_id},
        extra_headers={"x-request-id": request_id},
    )
