"""Runtime companion overhead: a watched anthropic client against the same client unwatched.

Two requests: ~100k tokens (a long system prompt, 20 tools, 200 messages) and ~10k tokens. Both
go through the real `anthropic.Anthropic` client on an httpx2 MockTransport that answers with a
canned message, so the figures are client-side time only. Also timed: fingerprinting alone
(segmentation, serialization, hashing) and the raw xxh3 hash of the whole body.

Target (issue 5): added time at most 10% of the unwatched client's time; hashing well under 1 ms.
Run: .venv/bin/python bench/runtime_bench.py
"""

from __future__ import annotations

import json
import statistics
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


def handler(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "application/json"}, content=REPLY)


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
    messages = []
    for i in range(n_messages):
        text = (f"Turn {i}: here is some conversation text, with détails. " * (message_chars // 55 + 1))[:message_chars]
        messages.append({"role": "user" if i % 2 == 0 else "assistant", "content": [{"type": "text", "text": text}]})
    messages[-1]["content"][-1]["cache_control"] = {"type": "ephemeral"}
    return {"model": "claude-sonnet-4-5", "max_tokens": 1024, "tools": tools, "system": system, "messages": messages}


def per_call(fn: Callable[[], Any], repeats: int, inner: int) -> float:
    """Median seconds per call over `repeats` batches of `inner` calls."""
    fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - start) / inner)
    return statistics.median(samples)


def bench(name: str, body: dict[str, Any], repeats: int, inner: int) -> None:
    size = len(dumps(body))
    plain = anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(handler)))
    watched = cachelint.watch(plain, tracker=cachelint.PrefixTracker(), on_drift="ignore")
    # Batches alternate between the two clients and the fastest batch of each counts: on a
    # shared machine, load only ever adds time, so the minimum is the steadiest estimate.
    unwatched_t = watched_t = float("inf")
    for _ in range(repeats):
        unwatched_t = min(unwatched_t, per_call(lambda: plain.messages.create(**body), 1, inner))
        watched_t = min(watched_t, per_call(lambda: watched.messages.create(**body), 1, inner))
    fp_t = per_call(lambda: fingerprint(body), repeats, inner * 4)
    raw = dumps(body)
    hash_t = per_call(lambda: xxhash.xxh3_64_intdigest(raw), repeats, inner * 20)
    segments = len(fingerprint(body))
    added = watched_t - unwatched_t
    print(f"{name}: {size:,} bytes (~{size // 4:,} tokens), {segments} segments, serializer {SERIALIZER}")
    print(f"  unwatched client        {unwatched_t * 1000:8.3f} ms/call  (fastest of alternating batches)")
    print(f"  watched client          {watched_t * 1000:8.3f} ms/call")
    print(f"  added by cachelint      {added * 1000:8.3f} ms/call  ({added / unwatched_t:+.1%} of unwatched; target <= 10%)")
    print(f"  fingerprint alone       {fp_t * 1000:8.3f} ms  (segment, serialize, hash, chain)")
    print(f"  xxh3_64 of whole body   {hash_t * 1000:8.4f} ms")


def main() -> None:
    bench("100k-token request", build_request(system_chars=120_000, n_tools=20, n_messages=200, message_chars=1_200), repeats=15, inner=10)
    bench("10k-token request", build_request(system_chars=12_000, n_tools=20, n_messages=20, message_chars=400), repeats=15, inner=40)


if __name__ == "__main__":
    main()
