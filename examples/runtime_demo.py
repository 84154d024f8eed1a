"""Runtime companion demo: a two-turn conversation whose second turn drifts.

A real `anthropic.Anthropic` client, watched by cachelint, talks to a mock transport (no
network). The agent puts the current time in its system prompt, a classic cache buster: turn 2
sends a different system prompt, so everything cached on turn 1 is written again. cachelint names
the segment, prices the loss and suggests the fix, then summarises the conversation.

Run: .venv/bin/python examples/runtime_demo.py
"""

from __future__ import annotations

import json
import logging
import sys
import warnings

import anthropic
import httpx2

import cachelint
from cachelint.runtime import default_tracker

warnings.filterwarnings("ignore", category=DeprecationWarning)

TOOLS = [
    {"name": "search_docs", "description": "Search the product documentation.", "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
    {"name": "open_ticket", "description": "Open a support ticket.", "input_schema": {"type": "object", "properties": {"summary": {"type": "string"}}}},
]
POLICY = "You are the support agent for ExampleCo. Answer from the documentation; be precise. " * 60


def system_prompt(now: str) -> list[dict]:
    # The buster: a clock value in the cached prefix.
    return [{"type": "text", "text": f"{POLICY}\nCurrent time: {now}", "cache_control": {"type": "ephemeral"}}]


def fake_api(request: httpx2.Request) -> httpx2.Response:
    """Answers like the Messages API: turn 1 writes the cache, turn 2 misses and writes again."""
    body = json.loads(request.content)
    turn = len(body["messages"]) // 2 + 1
    usage = {"input_tokens": 14, "cache_creation_input_tokens": 1830, "cache_read_input_tokens": 0, "output_tokens": 20}
    text = "Let me check the docs." if turn == 1 else "Here is how to reset it."
    message = {"id": f"msg_{turn}", "type": "message", "role": "assistant", "content": [{"type": "text", "text": text}], "model": body["model"], "stop_reason": "end_turn", "stop_sequence": None, "usage": usage}
    return httpx2.Response(200, json=message)


def main() -> None:
    # Drift reports go to the `cachelint` logger as warnings; show them on stdout.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("cachelint").addHandler(handler)
    logging.getLogger("cachelint").setLevel(logging.WARNING)
    # JSON lines go to $CACHELINT_LOG when it is set (try: CACHELINT_LOG=calls.jsonl).
    client = cachelint.watch(anthropic.Anthropic(api_key="demo", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(fake_api))))
    messages = [{"role": "user", "content": "How do I reset my password?"}]
    with cachelint.conversation("ticket-4711"):
        print("turn 1: system prompt rendered at 10:41:02")
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=200, tools=TOOLS, system=system_prompt("10:41:02"), messages=messages)
        messages += [{"role": "assistant", "content": reply.content[0].text}, {"role": "user", "content": "It says my link expired."}]
        print("turn 2: system prompt rendered at 10:46:13\n")
        client.messages.create(model="claude-sonnet-4-5", max_tokens=200, tools=TOOLS, system=system_prompt("10:46:13"), messages=messages)

    (stats,) = default_tracker().stats("ticket-4711")
    print(
        f"\nconversation ticket-4711: {stats.calls} calls, hit rate {stats.hit_rate:.0%}, "
        f"{stats.usage.write:,} tokens written, {stats.usage.read:,} read, ${stats.cost:.4f} spent, "
        f"${stats.lost_to_drift:.4f} lost to drift"
    )
    drift = stats.drifts[-1]
    print(f"recorded drift (no prompt text kept): {json.dumps({'where': drift.where, 'kind': drift.kind, 'tokens_invalidated': drift.tokens_invalidated})}")
    logging.getLogger("cachelint").removeHandler(handler)


if __name__ == "__main__":
    main()
