"""External JSON config re-serialized without sort_keys into the system prompt."""
import json

import anthropic
import requests

client = anthropic.Anthropic()
CONFIG_URL = "https://config.internal/assistant/profile"


def tenant_profile(tenant: str) -> dict:
    return requests.get(CONFIG_URL, params={"tenant": tenant}, timeout=5).json()


def system_for(tenant: str) -> str:
    profile = tenant_profile(tenant)
    profile_text = json.dumps(profile, indent=2)  # expect: CL204
    return "You are the tenant's assistant. Honour this profile exactly:\n" + profile_text


def chat(tenant: str, messages: list[dict]) -> str:
    reply = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        system=system_for(tenant),
        messages=messages,
    )
    return reply.content[0].text
