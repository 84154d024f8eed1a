"""Nova chat: checkpoint as its own element after the system text (no tool caching)."""
import boto3

runtime = boto3.client("bedrock-runtime")
INSTRUCTIONS = open("nova_agent.md").read()

from .toolspecs import TOOL_SPECS


def step(messages: list[dict]):
    return runtime.converse(
        modelId="us.amazon.nova-pro-v1:0",
        system=[{"text": INSTRUCTIONS}, {"cachePoint": {"type": "default"}}],
        toolConfig={"tools": TOOL_SPECS},
        messages=messages,
    )
