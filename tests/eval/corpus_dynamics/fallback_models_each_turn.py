"""Bedrock chat with a per-call fallback list."""
import boto3
from botocore.exceptions import ClientError

runtime = boto3.client("bedrock-runtime")
MODEL_IDS = [
    "us.anthropic.claude-opus-4-5-20251101-v1:0",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
]


def chat() -> None:
    messages: list[dict] = []
    while True:
        messages.append({"role": "user", "content": [{"text": input("> ")}]})
        for model_id in MODEL_IDS:  # expect: CL505
            try:
                response = runtime.converse(modelId=model_id, messages=messages)
                break
            except ClientError:
                continue
        messages.append(response["output"]["message"])
