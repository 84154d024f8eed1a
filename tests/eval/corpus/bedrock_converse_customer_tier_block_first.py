"""Bedrock system blocks: the per-customer block comes before the static policy."""
import boto3

runtime = boto3.client("bedrock-runtime", region_name="us-east-1")

POLICY = """You are a telecom billing assistant.
Explain each line of the bill in plain language.
Roaming charges apply outside the EU/EEA; list the country and the rate.
Promotional discounts expire after 12 months; say when the current one ends.
Late fees are 5 EUR per month and are waived once per year on request.
Never change a tariff without the customer confirming the new monthly price.
For disputes older than 90 days, refer the customer to the written complaints form."""


def explain_bill(customer_tier: str, bill_text: str) -> str:
    response = runtime.converse(  # expect: CL301
        modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
        system=[
            {"text": f"Customer tier: {customer_tier}. Address them accordingly."},
            {"text": POLICY},
            {"cachePoint": {"type": "default"}},
        ],
        messages=[{"role": "user", "content": [{"text": bill_text}]}],
    )
    return response["output"]["message"]["content"][0]["text"]
