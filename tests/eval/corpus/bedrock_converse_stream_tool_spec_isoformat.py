"""Bedrock ConverseStream with a tool whose description carries an ISO timestamp."""
from datetime import datetime, timezone

import boto3

runtime = boto3.client("bedrock-runtime")


def tool_config() -> dict:
    issued = datetime.now(timezone.utc).isoformat()  # expect: CL101
    return {
        "tools": [
            {
                "toolSpec": {
                    "name": "get_ticket",
                    "description": f"Fetch a support ticket. Tickets newer than {issued} are not indexed yet.",
                    "inputSchema": {
                        "json": {
                            "type": "object",
                            "properties": {"ticket_id": {"type": "string"}},
                            "required": ["ticket_id"],
                        }
                    },
                }
            }
        ]
    }


def stream_answer(question: str) -> None:
    response = runtime.converse_stream(
        modelId="anthropic.claude-3-haiku-20240307-v1:0",
        system=[{"text": "You answer questions about support tickets."}],
        messages=[{"role": "user", "content": [{"text": question}]}],
        toolConfig=tool_config(),
    )
    for event in response["stream"]:
        delta = event.get("contentBlockDelta", {}).get("delta", {})
        if "text" in delta:
            print(delta["text"], end="")
