"""History rebuilt from JSONB on every call, but serialized canonically in one helper."""
import json

import anthropic
import psycopg

client = anthropic.Anthropic()


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def rebuild(conn: psycopg.Connection, thread_id: int) -> list[dict]:
    rows = conn.execute(
        "SELECT role, kind, call_id, body FROM thread_events WHERE thread_id = %s ORDER BY id",
        (thread_id,),
    ).fetchall()
    messages: list[dict] = []
    for role, kind, call_id, body in rows:
        if kind == "tool_result":
            messages.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": call_id, "content": canonical_json(body)}]})
        else:
            messages.append({"role": role, "content": body["text"]})
    return messages


def continue_thread(conn: psycopg.Connection, thread_id: int, text: str):
    messages = rebuild(conn, thread_id) + [{"role": "user", "content": text}]
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        system="You are the warehouse inventory agent.",
        messages=messages,
        cache_control={"type": "ephemeral"},
    )
