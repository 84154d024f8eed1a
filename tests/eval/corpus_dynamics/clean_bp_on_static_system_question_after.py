"""Support bot: breakpoint on the static policy, the question follows uncached."""
import anthropic

client = anthropic.Anthropic()
POLICY = open("prompts/support_policy.md", encoding="utf-8").read()


def answer(question: str, customer_tier: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=800,
        system=[
            {"type": "text", "text": POLICY, "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": f"Customer tier: {customer_tier}"},
        ],
        messages=[{"role": "user", "content": [{"type": "text", "text": question}]}],
    )
    return response.content[0].text
