"""messages.stream with a .format()-filled system prompt carrying a secrets token."""
import secrets

import anthropic

client = anthropic.Anthropic()

TEMPLATE = """You are a password-reset helper for {company}.
Verify identity with the two-question flow before doing anything.
Never read out existing passwords. Reset links expire after 15 minutes.
Verification token for this chat: {token}"""


def reset_flow(user_text: str) -> str:
    token = secrets.token_urlsafe(16)  # expect: CL102
    system = TEMPLATE.format(company="Contoso", token=token)
    chunks = []
    with client.messages.stream(
        model="claude-haiku-4-5",
        max_tokens=500,
        system=system,
        messages=[{"role": "user", "content": user_text}],
    ) as stream:
        for text in stream.text_stream:
            chunks.append(text)
    return "".join(chunks)
