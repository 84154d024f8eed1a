"""gpt-4.1 support bot: extended retention and a per-conversation key, the settings of that model."""
from openai import OpenAI

client = OpenAI()
POLICY = open("support_policy.md").read()


def reply(conversation_id: str, messages: list[dict]) -> str:
    completion = client.chat.completions.create(
        model="gpt-4.1",
        messages=[{"role": "system", "content": POLICY}, *messages],
        prompt_cache_key=f"support-{conversation_id}",
        prompt_cache_retention="24h",
    )
    return completion.choices[0].message.content
