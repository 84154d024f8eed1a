"""Billing agent whose template starts with per-account placeholders, then the long rulebook."""
import anthropic

client = anthropic.Anthropic()

SYSTEM_TEMPLATE = """Account: {account_name} (plan: {plan}, region: {region})

You are the billing specialist for Example Cloud. Quote prices from the public price list only
and always name the price-list section you used. Never promise a refund: explain the refund policy
and link the refund form instead. Escalate to a human when the customer mentions legal action, a
data breach, a chargeback, or an amount above 10,000 USD. For invoice questions, confirm the
invoice number and the billing period first, then explain every line item in plain words before
discussing credits or adjustments. Keep answers under 200 words, use bullet points for line items,
and end with one question that moves the case forward. Never reveal internal cost figures."""


def answer(account: dict, question: str) -> str:
    system = SYSTEM_TEMPLATE.format(account_name=account["name"], plan=account["plan"], region=account["region"])  # expect: CL301
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=600,
        system=system,
        messages=[{"role": "user", "content": question}],
    )
    return response.content[0].text
