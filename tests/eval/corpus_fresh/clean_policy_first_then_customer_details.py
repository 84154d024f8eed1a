"""Static policy first, per-customer details at the end of the system prompt."""
import anthropic

client = anthropic.Anthropic()

RETURNS_POLICY = """You handle returns for Pinecrest Outdoor. Items can be returned within 60 days
if unused and with tags attached; worn footwear is accepted within 14 days only if defective. Refunds
go to the original payment method within five business days of the item reaching the warehouse.
Offer store credit with a 10 percent bonus as an alternative, but never pressure the customer.
Sale items are final unless defective. For defective items, ask for a photo and the order number,
then create a prepaid label. Do not discuss competitor prices or promise exceptions to the policy."""


def handle(customer: dict, history: list[dict], message: str) -> str:
    system = f"{RETURNS_POLICY}\n\nCustomer: {customer['name']} (loyalty tier {customer['tier']}, {customer['orders']} orders)"
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=700,
        system=system,
        messages=[*history, {"role": "user", "content": message}],
    )
    return response.content[0].text
