"""Tool catalogue loaded from SQLite with ORDER BY name: a defined order."""
import json
import sqlite3

import boto3

runtime = boto3.client("bedrock-runtime")


def tool_specs(db_path: str = "agent.db") -> list[dict]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT name, description, schema_json FROM tools WHERE enabled = 1 ORDER BY name"
        ).fetchall()
    return [
        {"toolSpec": {"name": n, "description": d, "inputSchema": {"json": json.loads(s)}}}
        for n, d, s in rows
    ]


def answer(messages: list[dict]) -> dict:
    return runtime.converse(
        modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",
        system=[{"text": "You operate the warehouse management tools."}],
        messages=messages,
        toolConfig={"tools": tool_specs()},
    )
