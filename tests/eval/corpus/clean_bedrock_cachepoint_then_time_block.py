"""Bedrock system: static text, cachePoint, then a per-request block after the last cachePoint."""
from datetime import datetime, timezone

import boto3

client = boto3.client("bedrock-runtime")

GUIDE = (
    "You are a cloud cost advisor. Recommend reserved instances or savings plans only when "
    "utilisation stays above 70 percent for three months."
)


def advise(question: str) -> str:
    response = client.converse(
        modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
        system=[
            {"text": GUIDE},
            {"cachePoint": {"type": "default"}},
            {"text": f"Report generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC."},
        ],
        messages=[{"role": "user", "content": [{"text": question}]}],
    )
    return response["output"]["message"]["content"][0]["text"]
