from __future__ import annotations

import copy
from typing import Any

import pytest

def anthropic_body(n_messages: int = 1, *, system: str = "You are a careful assistant. " * 200) -> dict[str, Any]:
    tools = [
        {"name": "search_docs", "description": "Search the documentation", "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
        {"name": "fetch_url", "description": "Fetch a URL", "input_schema": {"type": "object", "properties": {"url": {"type": "string"}}}},
        {"name": "run_sql", "description": "Run a read-only SQL query", "input_schema": {"type": "object", "properties": {"sql": {"type": "string"}}}},
        {"name": "send_mail", "description": "Send an email", "input_schema": {"type": "object", "properties": {"to": {"type": "string"}}}},
    ]
    tools[-1]["cache_control"] = {"type": "ephemeral"}
    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": [{"type": "text", "text": f"turn {i} " * 20}]} for i in range(n_messages)]
    return {
        "model": "claude-sonnet-4-5",
        "max_tokens": 256,
        "tools": tools,
        "system": [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}],
        "messages": messages,
    }


def grow(body: dict[str, Any], extra: int = 2) -> dict[str, Any]:
    out = copy.deepcopy(body)
    n = len(out["messages"])
    for i in range(n, n + extra):
        out["messages"].append({"role": "user" if i % 2 == 0 else "assistant", "content": [{"type": "text", "text": f"turn {i} " * 20}]})
    return out


@pytest.fixture
def body() -> dict[str, Any]:
    return anthropic_body(3)
