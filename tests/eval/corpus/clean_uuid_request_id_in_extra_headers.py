"""A uuid request id travels in extra_headers for the proxy; the prompt is static."""
import uuid

import anthropic

client = anthropic.Anthropic()

SYSTEM = """You are a compliance assistant. Check marketing copy against the
advertising standards code and list each violation with the rule number."""


def check(copy_text: str) -> tuple[str, str]:
    request_id = str(uuid.uuid4())
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1000,
        system=SYSTEM,
        messages=[{"role": "user", "content": copy_text}],
        extra_headers={"X-Request-ID": request_id},
    )
    return request_id, response.content[0].text
