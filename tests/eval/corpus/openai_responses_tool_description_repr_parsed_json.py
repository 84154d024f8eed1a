"""Tool descriptions include repr() of field specs parsed from an OpenAPI document."""
import json
from pathlib import Path

from openai import OpenAI

client = OpenAI()


def tools_from_openapi(spec_path: Path) -> list[dict]:
    spec = json.loads(spec_path.read_text())
    tools = []
    for op_id, op in spec["operations"].items():
        fields = op.get("fields", {})
        tools.append(
            {
                "type": "function",
                "name": op_id,
                "description": op["summary"] + " Fields: " + repr(fields),  # expect: CL204
                "parameters": {"type": "object", "properties": op.get("properties", {})},
            }
        )
    return tools


def call(question: str):
    return client.responses.create(
        model="gpt-4.1",
        instructions="Call the API operation that answers the question.",
        input=question,
        tools=tools_from_openapi(Path("openapi_ops.json")),
    )
