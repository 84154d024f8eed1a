"""Earlier tool results are rebuilt from a jsonb column each turn (case 28)."""
import json

import anthropic
import psycopg

client = anthropic.Anthropic()


def load_history(conn: psycopg.Connection, conversation_id: int) -> list[dict]:
    messages: list[dict] = []
    rows = conn.execute(
        "SELECT role, kind, tool_use_id, payload FROM turns WHERE conversation_id = %s ORDER BY seq",
        (conversation_id,),
    ).fetchall()
    for role, kind, tool_use_id, payload in rows:
        if kind == "tool_result":
            content = json.dumps(payload)  # expect: CL204
            messages.append({"role": role, "content": [
                {"type": "tool_result", "tool_use_id": tool_use_id, "content": content}]})
        else:
            messages.append({"role": role, "content": payload["text"]})
    return messages


def continue_conversation(conn: psycopg.Connection, conversation_id: int, text: str):
    history = load_history(conn, conversation_id)
    history.append({"role": "user", "content": text})
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2048,
        system="You are a database assistant with a query tool.",
        messages=history,
        cache_control={"type": "ephemeral"},
    )
