"""A small helper mints a trace tag that ends up at the end of the system prompt."""
import secrets

import anthropic

client = anthropic.Anthropic()
BASE_SYSTEM = "You are a contract-review assistant. Flag unusual indemnity and liability clauses."


def _trace_tag() -> str:
    return secrets.token_urlsafe(6)  # expect: CL102


def _system() -> str:
    return f"{BASE_SYSTEM}\n[trace:{_trace_tag()}]"


def review(history: list[dict], clause: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1200,
        system=_system(),
        messages=[*history, {"role": "user", "content": clause}],
    )
    return response.content[0].text
