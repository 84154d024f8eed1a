"""External config serialized with sort_keys=True and fixed separators: canonical bytes."""
import json

import anthropic
import requests

client = anthropic.Anthropic()
CONFIG_URL = "https://config.internal/assistant/profile"


def canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def system_for(tenant: str) -> str:
    profile = requests.get(CONFIG_URL, params={"tenant": tenant}, timeout=5).json()
    return "You are the tenant's assistant. Honour this profile exactly:\n" + canonical(profile)


def chat(tenant: str, messages: list[dict]) -> str:
    reply = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        system=system_for(tenant),
        messages=messages,
    )
    return reply.content[0].text
