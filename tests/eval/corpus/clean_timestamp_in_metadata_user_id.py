"""A time-derived user id goes into metadata, which is not part of the prompt."""
import time

import anthropic

client = anthropic.Anthropic()

SYSTEM = (
    "You are a contract clause explainer. Explain clauses in plain English and "
    "flag anything unusual compared with a standard services agreement."
)


def explain(account: str, clause: str):
    bucket = f"{account}-{int(time.time())}"
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1200,
        system=SYSTEM,
        messages=[{"role": "user", "content": clause}],
        metadata={"user_id": bucket},
    )
