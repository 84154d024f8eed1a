"""A uuid names the S3 object where the model output is stored."""
import json
import uuid

import boto3

bedrock = boto3.client("bedrock-runtime")
s3 = boto3.client("s3")
BUCKET = "summaries-prod"

SYSTEM = [{"text": "Summarise legal documents into a one-page brief with headings."}]


def summarise_to_s3(document: str) -> str:
    response = bedrock.converse(
        modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
        system=SYSTEM,
        messages=[{"role": "user", "content": [{"text": document}]}],
    )
    brief = response["output"]["message"]["content"][0]["text"]
    key = f"briefs/{uuid.uuid4()}.json"
    s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps({"brief": brief}))
    return key
