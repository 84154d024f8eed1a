"""Bedrock Converse chat with the checkpoint key written into the text block."""
import boto3

client = boto3.client("bedrock-runtime")
PERSONA = open("persona.md").read()


def reply(history: list[dict], text: str) -> str:
    history.append({"role": "user", "content": [{"text": text}]})
    response = client.converse(
        modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        system=[{"text": PERSONA, "cachePoint": {"type": "default"}}],  # expect: CL407
        messages=history,
    )
    message = response["output"]["message"]
    history.append(message)
    return message["content"][0]["text"]
