"""Bedrock Converse: a minute-granular time note is appended as the last user message (case 8 fix)."""
from datetime import datetime

import boto3

bedrock = boto3.client("bedrock-runtime")

SYSTEM = [
    {"text": "You are a personal productivity assistant. Plan the user's day in 30-minute blocks."},
    {"cachePoint": {"type": "default"}},
]


def plan(history: list[dict], request: str) -> str:
    time_note = f"Current local time: {datetime.now():%Y-%m-%d %H:%M}"
    messages = list(history)
    messages.append({"role": "user", "content": [{"text": request}, {"text": time_note}]})
    response = bedrock.converse(
        modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
        system=SYSTEM,
        messages=messages,
    )
    return response["output"]["message"]["content"][0]["text"]
