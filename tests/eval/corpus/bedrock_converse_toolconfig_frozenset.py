"""Bedrock toolConfig built by iterating a frozenset of capability names."""
import boto3

client = boto3.client("bedrock-runtime")

CAPABILITIES = frozenset(["translate", "summarize", "classify"])  # expect: CL201

SPEC_DESCRIPTIONS = {
    "translate": "Translate text into a target language.",
    "summarize": "Summarise text into at most five bullet points.",
    "classify": "Classify text into one of the configured labels.",
}


def tool_config() -> dict:
    tools = [
        {
            "toolSpec": {
                "name": cap,
                "description": SPEC_DESCRIPTIONS[cap],
                "inputSchema": {"json": {"type": "object", "properties": {"text": {"type": "string"}}}},
            }
        }
        for cap in CAPABILITIES
    ]
    return {"tools": tools}


def process(text: str) -> dict:
    return client.converse(
        modelId="anthropic.claude-3-haiku-20240307-v1:0",
        system=[{"text": "Pick the right tool for the user's request."}],
        messages=[{"role": "user", "content": [{"text": text}]}],
        toolConfig=tool_config(),
    )
