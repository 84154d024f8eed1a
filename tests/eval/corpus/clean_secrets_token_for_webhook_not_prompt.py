"""A secrets token signs the outgoing webhook; the prompt does not contain it."""
import hashlib
import hmac
import secrets

import httpx
from openai import OpenAI

client = OpenAI()

SYSTEM = {"role": "system", "content": "Summarise the incident report for a status page in 3 sentences."}


def publish_summary(report: str, webhook_url: str, key: bytes) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[SYSTEM, {"role": "user", "content": report}],
    )
    summary = completion.choices[0].message.content
    nonce = secrets.token_hex(16)
    signature = hmac.new(key, (nonce + summary).encode(), hashlib.sha256).hexdigest()
    httpx.post(webhook_url, json={"summary": summary, "nonce": nonce, "sig": signature}, timeout=10)
