"""Nova agent that tries to cache its tool list."""
import boto3

from .toolspecs import TOOL_SPECS

runtime = boto3.client("bedrock-runtime")
INSTRUCTIONS = open("nova_agent.md").read()


def step(messages: list[dict]):
    return runtime.converse(
        modelId="us.amazon.nova-pro-v1:0",
        system=[{"text": INSTRUCTIONS}, {"cachePoint": {"type": "default"}}],
        toolConfig={
            "tools": [
                *TOOL_SPECS,
                {"cachePoint": {"type": "default"}},  # expect: CL407
            ]
        },
        messages=messages,
    )
