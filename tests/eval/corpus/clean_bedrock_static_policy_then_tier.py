"""Bedrock: static policy and cachePoint first, customer tier block afterwards."""
import boto3

runtime = boto3.client("bedrock-runtime", region_name="us-east-1")

POLICY = """You are a telecom billing assistant.
Explain each line of the bill in plain language.
Roaming charges apply outside the EU/EEA; list the country and the rate.
Late fees are 5 EUR per month and are waived once per year on request."""


def explain_bill(customer_tier: str, bill_text: str) -> str:
    response = runtime.converse(
        modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
        system=[
            {"text": POLICY},
            {"cachePoint": {"type": "default"}},
            {"text": f"Customer tier: {customer_tier}."},
        ],
        messages=[{"role": "user", "content": [{"text": bill_text}]}],
    )
    return response["output"]["message"]["content"][0]["text"]
