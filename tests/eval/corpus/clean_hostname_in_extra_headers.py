"""The client host goes into an HTTP header for the gateway; prompt content is static."""
import socket

import anthropic

client = anthropic.Anthropic()
CLIENT_HOST = socket.gethostname()

SYSTEM = """You explain Kubernetes events to application developers.
Say what happened, why it matters and what to do next."""


def explain(event: str) -> str:
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=500,
        system=SYSTEM,
        messages=[{"role": "user", "content": event}],
        extra_headers={"X-Client-Host": CLIENT_HOST},
    )
    return response.content[0].text
