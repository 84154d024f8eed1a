"""Tool catalogue loaded from SQLite without ORDER BY (case 25)."""
import json
import sqlite3

import boto3

runtime = boto3.client("bedrock-runtime")
DB_PATH = "agent.db"


def tool_specs() -> list[dict]:
    conn = sqlite3.connect(DB_PATH)
    try:
        rows = conn.execute("SELECT name, description, schema_json FROM tools WHERE enabled = 1").fetchall()  # expect: CL203
    finally:
        conn.close()
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
