"""InvokeModel body: constant system, the time is part of the final user message."""
import json
import time

import boto3

runtime = boto3.client("bedrock-runtime")

SYSTEM = (
    "You are a shift-handover assistant for a hospital ward. Summarise open tasks by patient "
    "bed number and urgency. Never include full patient names."
)


def handover(notes: str) -> str:
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 1200,
        "system": SYSTEM,
        "messages": [
            {"role": "user", "content": f"Handover time {time.strftime('%H:%M')}.\n\n{notes}"},
        ],
    }
    response = runtime.invoke_model(
        modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",
        body=json.dumps(body),
    )
    return json.loads(response["body"].read())["content"][0]["text"]
