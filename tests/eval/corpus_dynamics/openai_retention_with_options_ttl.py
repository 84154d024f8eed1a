"""Support bot moved to GPT-5.6: the new cache options were added, the old retention setting kept."""
from openai import OpenAI

client = OpenAI()
POLICY = open("support_policy.md").read()


def reply(conversation_id: str, items: list[dict]) -> str:
    response = client.responses.create(
        model="gpt-5.6",
        instructions=POLICY,
        input=items,
        prompt_cache_key=f"support-{conversation_id}",
        prompt_cache_retention="24h",  # expect: CL408
        prompt_cache_options={"mode": "implicit", "ttl": "30m"},
    )
    return response.output_text
