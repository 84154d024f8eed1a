"""Support bot: one request per incoming question, breakpoint placed on the question itself."""
import anthropic

client = anthropic.Anthropic()
with open("prompts/support_policy.md", encoding="utf-8") as fh:
    POLICY = fh.read()


def answer(question: str, customer_tier: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=800,
        system=[
            {"type": "text", "text": POLICY},
            {"type": "text", "text": f"Customer tier: {customer_tier}"},
        ],
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": question, "cache_control": {"type": "ephemeral"}},  # expect: CL401
                ],
            }
        ],
    )
    return response.content[0].text
