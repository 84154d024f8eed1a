"""Runtime companion overhead: a watched anthropic client against the same client unwatched.

Requests: ~100k tokens (a long system prompt, 20 tools, 200 messages) and ~10k tokens, each
(a) sent again unchanged and (b) as a growing conversation from that size on (two messages more
per call, the breakpoint moving to the newest message, a new conversation for every pass so its
first call is cold). All go through the real `anthropic.Anthropic` client on an httpx2 MockTransport that
answers with a canned message, so the figures are client-side time only. Times are CPU time of
the calling thread (time.thread_time), the fastest of alternating batches: on a shared machine
other processes' load only adds to wall time. Also shown: what the SDK's middleware mechanism
itself costs (a client with a middleware that does nothing), fingerprinting alone, and xxh3 of
the whole body.

Target (issue 5): added time at most 10% of the unwatched client's time.
Run: .venv/bin/python bench/runtime_bench.py
"""

from __future__ import annotations

import json
import time
import warnings
from typing import Any, Callable

import anthropic
import httpx2
import xxhash

import cachelint
from cachelint.runtime.segments import fingerprint
from cachelint.runtime.serialize import SERIALIZER, dumps

warnings.filterwarnings("ignore", category=DeprecationWarning)

REPLY = json.dumps(
    {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": "ok"}],
        "model": "claude-sonnet-4-5",
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 99000, "output_tokens": 1},
    }
).encode()

GROWTH_TURNS = 12


def handler(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "application/json"}, content=REPLY)


def message(i: int, chars: int, *, marked: bool = False, tag: str = "") -> dict[str, Any]:
    text = (f"{tag}Turn {i}: here is some conversation text, with détails. " * (chars // 55 + 1))[:chars]
    block: dict[str, Any] = {"type": "text", "text": text}
    if marked:
        block["cache_control"] = {"type": "ephemeral"}
    return {"role": "user" if i % 2 == 0 else "assistant", "content": [block]}


def build_request(system_chars: int, n_tools: int, n_messages: int, message_chars: int) -> dict[str, Any]:
    tools = [
        {
            "name": f"tool_{i}",
            "description": f"Tool {i}: " + "does a useful thing with the input. " * 20,
            "input_schema": {"type": "object", "properties": {"query": {"type": "string", "description": "what to look for " * 5}}},
        }
        for i in range(n_tools)
    ]
    tools[-1]["cache_control"] = {"type": "ephemeral"}
    system = [{"type": "text", "text": ("You are a careful assistant. Être précis. " * (system_chars // 42 + 1))[:system_chars], "cache_control": {"type": "ephemeral"}}]
    messages = [message(i, message_chars, marked=i == n_messages - 1) for i in range(n_messages)]
    return {"model": "claude-sonnet-4-5", "max_tokens": 1024, "tools": tools, "system": system, "messages": messages}


def growing(body: dict[str, Any], message_chars: int, conversation: int) -> list[dict[str, Any]]:
    """GROWTH_TURNS requests of one conversation, from the request's size on: each two messages
    longer than the one before, with the breakpoint on its newest message, and a first message
    naming the conversation."""
    history = [message(0, message_chars, tag=f"[conversation {conversation}] "), *body["messages"][1:-1]]
    out = []
    for turn in range(GROWTH_TURNS):
        n = len(body["messages"]) + 2 * turn
        while len(history) < n - 1:
            history.append(message(len(history), message_chars))
        out.append({**body, "messages": [*history[: n - 1], message(n - 1, message_chars, marked=True)]})
    return out


def cpu_per_call(fn: Callable[[], Any], inner: int) -> float:
    start = time.thread_time()
    for _ in range(inner):
        fn()
    return (time.thread_time() - start) / inner


class NoOp(anthropic.Middleware):
    """What the SDK's middleware mechanism costs by itself."""

    def handle(self, request: Any, call_next: Any) -> Any:
        return call_next(request)


def clients() -> dict[str, Any]:
    plain = anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(handler)))
    return {
        "unwatched": plain,
        "no-op middleware": plain.with_middleware(NoOp()),
        "watched": cachelint.watch(plain, tracker=cachelint.PrefixTracker(), on_drift="ignore"),
    }


def report(name: str, times: dict[str, float]) -> None:
    base = times["unwatched"]
    added = times["watched"] - base
    sdk = times["no-op middleware"] - base
    print(f"  {name}")
    print(f"    unwatched client          {base * 1000:8.3f} ms/call")
    print(f"    watched client            {times['watched'] * 1000:8.3f} ms/call")
    print(f"    added by cachelint        {added * 1000:8.3f} ms/call  ({added / base:+.1%} of unwatched; target <= 10%)")
    print(f"      of which SDK middleware {sdk * 1000:8.3f} ms/call  ({sdk / base:+.1%}: the SDK's cost of any middleware)")


def bench(name: str, body: dict[str, Any], message_chars: int, rounds: int, inner: int) -> None:
    size = len(dumps(body))
    print(f"{name}: {size:,} bytes (~{size // 4:,} tokens), {len(fingerprint(body))} segments, serializer {SERIALIZER}")
    watched = clients()
    same = {k: float("inf") for k in watched}
    grow = {k: float("inf") for k in watched}
    conversation = 0
    for _ in range(rounds):
        for label, client in watched.items():
            same[label] = min(same[label], cpu_per_call(lambda: client.messages.create(**body), inner))
            conversation += 1
            total = 0.0
            for request in growing(body, message_chars, conversation):
                total += cpu_per_call(lambda: client.messages.create(**request), 1)
            grow[label] = min(grow[label], total / GROWTH_TURNS)
    report("the same request again", same)
    report(f"a growing conversation ({GROWTH_TURNS} calls, the first one cold)", grow)
    fp_t = min(cpu_per_call(lambda: fingerprint(body), inner * 4) for _ in range(rounds))
    raw = dumps(body)
    hash_t = min(cpu_per_call(lambda: xxhash.xxh3_64_intdigest(raw), inner * 20) for _ in range(rounds))
    print(f"  fingerprint alone (repeat)  {fp_t * 1000:8.3f} ms  (segment, serialize, hash, chain)")
    print(f"  xxh3_64 of whole body       {hash_t * 1000:8.4f} ms")


def main() -> None:
    bench("100k-token request", build_request(system_chars=120_000, n_tools=20, n_messages=200, message_chars=1_200), 1_200, rounds=15, inner=10)
    bench("10k-token request", build_request(system_chars=12_000, n_tools=20, n_messages=20, message_chars=400), 400, rounds=15, inner=40)


if __name__ == "__main__":
    main()
