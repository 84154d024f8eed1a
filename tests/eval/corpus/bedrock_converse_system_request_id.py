"""Bedrock Converse: a request id is embedded in the system text for 'traceability'."""
import uuid

import boto3

client = boto3.client("bedrock-runtime")

POLICY = (
    "You are an insurance claims triage assistant. Classify claims as auto, home or travel. "
    "Ask for missing documents. Never state whether a claim will be approved."
)


def triage(claim_text: str) -> dict:
    request_id = str(uuid.uuid4())  # expect: CL102
    system_blocks = [{"text": POLICY}]
    system_blocks.append({"text": f"Request reference: {request_id}"})
    response = client.converse(
        modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",
        system=system_blocks,
        messages=[{"role": "user", "content": [{"text": claim_text}]}],
        inferenceConfig={"maxTokens": 800},
    )
    return {"request_id": request_id, "output": response["output"]["message"]}
