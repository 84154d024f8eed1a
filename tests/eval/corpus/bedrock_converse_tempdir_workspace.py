"""Bedrock agent with a temporary workspace directory named in the system prompt."""
import tempfile

import boto3

bedrock = boto3.client("bedrock-runtime")

SYSTEM_TEXT = (
    "You are a document conversion agent. Convert uploaded files to PDF/A. "
    "Use the convert tool and verify the output with the validate tool."
)


def convert_documents(request: str) -> dict:
    workspace = tempfile.mkdtemp(prefix="convert-")  # expect: CL103
    return bedrock.converse(
        modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
        system=[{"text": SYSTEM_TEXT}, {"text": f"Write outputs under {workspace}."}],
        messages=[{"role": "user", "content": [{"text": request}]}],
        toolConfig={
            "tools": [
                {"toolSpec": {"name": "convert", "description": "Convert a file to PDF/A.",
                              "inputSchema": {"json": {"type": "object", "properties": {"path": {"type": "string"}}}}}},
                {"toolSpec": {"name": "validate", "description": "Validate a PDF/A file.",
                              "inputSchema": {"json": {"type": "object", "properties": {"path": {"type": "string"}}}}}},
            ]
        },
    )
