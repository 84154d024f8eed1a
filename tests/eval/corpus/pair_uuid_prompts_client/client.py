"""Bedrock Converse call site; imports the system blocks from prompts.py."""
import boto3

from .prompts import system_blocks

runtime = boto3.client("bedrock-runtime", region_name="eu-west-1")


def reply(history: list[dict], user_text: str) -> str:
    messages = history + [{"role": "user", "content": [{"text": user_text}]}]
    response = runtime.converse(
        modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
        system=system_blocks(),
        messages=messages,
        inferenceConfig={"maxTokens": 1024},
    )
    return response["output"]["message"]["content"][0]["text"]


if __name__ == "__main__":
    print(reply([], "My dashboard is blank"))
