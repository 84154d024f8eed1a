"""Support bot on GPT-5.6 with the new cache options only (retention dropped in the migration)."""
from openai import OpenAI

client = OpenAI()
POLICY = open("support_policy.md").read()


def reply(conversation_id: str, items: list[dict]) -> str:
    response = client.responses.create(
        model="gpt-5.6",
        instructions=POLICY,
        input=items,
        prompt_cache_key=f"support-{conversation_id}",
        prompt_cache_options={"mode": "implicit", "ttl": "30m"},
    )
    return response.output_text
