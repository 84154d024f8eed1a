"""Bedrock Converse: the current time is written into a system text block."""
from datetime import datetime

import boto3

bedrock = boto3.client("bedrock-runtime", region_name="us-east-1")
MODEL_ID = "us.anthropic.claude-sonnet-4-20250514-v1:0"

INSTRUCTIONS = (
    "You are a travel assistant. Suggest itineraries with realistic transfer times. "
    "Always mention visa requirements for the traveller's passport. "
    "Never book anything without explicit confirmation."
)


def plan_trip(history: list[dict], request: str) -> str:
    now = datetime.now()  # expect: CL101
    messages = history + [{"role": "user", "content": [{"text": request}]}]
    response = bedrock.converse(
        modelId=MODEL_ID,
        system=[
            {"text": INSTRUCTIONS},
            {"text": f"It is currently {now:%A %H:%M}."},
        ],
        messages=messages,
        inferenceConfig={"maxTokens": 2000, "temperature": 0.3},
    )
    return response["output"]["message"]["content"][0]["text"]
