"""uuid5 of a constant name: the same id on every host and every run."""
import uuid

import anthropic

client = anthropic.Anthropic()

AGENT_NAMESPACE = uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
AGENT_ID = uuid.uuid5(AGENT_NAMESPACE, "acme.support-agent.v3")

SYSTEM = (
    "You are the Acme support agent. Sign every reply with your agent id so that "
    f"escalations can be routed: {AGENT_ID}."
)


def reply(text: str) -> str:
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=600,
        system=SYSTEM,
        messages=[{"role": "user", "content": text}],
    )
    return response.content[0].text
