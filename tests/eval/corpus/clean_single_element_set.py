"""Iterating a one-element set literal has only one possible order."""
import boto3

client = boto3.client("bedrock-runtime")

SPECS = {
    "lookup_policy": {
        "name": "lookup_policy",
        "description": "Fetch an insurance policy by number.",
        "inputSchema": {"json": {"type": "object", "properties": {"number": {"type": "string"}}}},
    }
}
ENABLED = {"lookup_policy"}


def tool_config() -> dict:
    return {"tools": [{"toolSpec": SPECS[name]} for name in ENABLED]}


def ask(question: str) -> dict:
    return client.converse(
        modelId="anthropic.claude-3-haiku-20240307-v1:0",
        system=[{"text": "You answer questions about the customer's insurance policy."}],
        messages=[{"role": "user", "content": [{"text": question}]}],
        toolConfig=tool_config(),
    )
