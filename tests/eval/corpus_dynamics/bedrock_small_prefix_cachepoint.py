"""Bedrock intent detector with a checkpoint after a short instruction."""
import boto3

bedrock = boto3.client("bedrock-runtime")
SYSTEM = [
    {"text": "Classify the user's intent as one of: billing, shipping, returns, other. Answer with the label."},
    {"cachePoint": {"type": "default"}},  # expect: CL404
]


def intent(utterance: str) -> str:
    out = bedrock.converse(
        modelId="anthropic.claude-3-7-sonnet-20250219-v1:0",
        system=SYSTEM,
        messages=[{"role": "user", "content": [{"text": utterance}]}],
    )
    return out["output"]["message"]["content"][0]["text"].strip()
