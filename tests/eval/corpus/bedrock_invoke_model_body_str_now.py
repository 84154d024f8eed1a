"""Bedrock InvokeModel with an Anthropic-format body; str(datetime) lands in system."""
import json
from datetime import datetime

import boto3

client = boto3.client("bedrock-runtime", region_name="us-west-2")

SYSTEM = (
    "You are a data analyst. You receive CSV snippets and answer questions about them. "
    "Show your arithmetic. Round money to two decimals. Report units. "
)


def ask(csv_snippet: str, question: str) -> str:
    body = json.dumps(
        {
            "anthropic_version": "bedrock-2023-05-31",
            "max_tokens": 1500,
            "system": SYSTEM + "Snapshot taken " + str(datetime.now()),  # expect: CL101
            "messages": [
                {"role": "user", "content": f"{csv_snippet}\n\nQuestion: {question}"},
            ],
        }
    )
    response = client.invoke_model(
        modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
        body=body,
        contentType="application/json",
        accept="application/json",
    )
    payload = json.loads(response["body"].read())
    return payload["content"][0]["text"]
