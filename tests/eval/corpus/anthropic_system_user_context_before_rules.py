"""Per-request user details placed before a long block of constant rules (case 10)."""
import anthropic

client = anthropic.Anthropic()

SUPPORT_RULES = """## Tone
Be warm but brief. Use the customer's first name once, at the start.

## Refunds
Refunds are possible within 30 days of delivery for unused items.
Digital goods are refundable only when the download never started.
Shipping costs are refunded only when the item arrived damaged.

## Shipping
Standard delivery takes 3-5 working days inside the EU and 7-12 days elsewhere.
Express delivery is available for parcels under 10 kg.
Tracking numbers become active within 24 hours of dispatch.

## Escalation
Escalate legal threats, chargebacks and safety issues to a human immediately.
Never promise compensation that is not listed in this document.

## Privacy
Never reveal another customer's data. Confirm identity with order id and postcode."""


def reply(customer: dict, text: str) -> str:
    system = f"Customer: {customer['name']} (tier {customer['tier']}, locale {customer['locale']})\n\n{SUPPORT_RULES}"  # expect: CL301
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        system=system,
        messages=[{"role": "user", "content": text}],
    )
    return response.content[0].text
