"""InvokeModel with an Anthropic body: cache_control on the system block is the right form."""
import json

import boto3

runtime = boto3.client("bedrock-runtime")
GUIDE = open("guide.md").read()


def ask(question: str) -> str:
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 800,
        "system": [{"type": "text", "text": GUIDE, "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": question}],
    }
    response = runtime.invoke_model(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", body=json.dumps(body))
    return json.loads(response["body"].read())["content"][0]["text"]
