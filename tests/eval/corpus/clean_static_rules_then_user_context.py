"""Static rules first, per-request customer details at the end of the system prompt."""
import anthropic

client = anthropic.Anthropic()

SUPPORT_RULES = """## Tone
Be warm but brief. Use the customer's first name once, at the start.

## Refunds
Refunds are possible within 30 days of delivery for unused items.
Digital goods are refundable only when the download never started.

## Shipping
Standard delivery takes 3-5 working days inside the EU and 7-12 days elsewhere.

## Escalation
Escalate legal threats, chargebacks and safety issues to a human immediately."""


def reply(customer: dict, text: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        system=[
            {"type": "text", "text": SUPPORT_RULES, "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": f"Customer: {customer['name']} (tier {customer['tier']})"},
        ],
        messages=[{"role": "user", "content": text}],
    )
    return response.content[0].text
