"""Runtime companion overhead: a watched client against the same client unwatched.

Requests: ~100k tokens (a long system prompt, 20 tools, 200 messages) and ~10k tokens, each
(a) sent again unchanged and (b) as a growing conversation from that size on (two messages more
per call, the breakpoint moving to the newest message, a new conversation for every pass so its
first call is cold). Both the anthropic client (`messages.create`) and the openai client
(`chat.completions.create`, the same content in its shape) are measured, each on an httpx2
MockTransport answering with a canned reply, so the figures are client-side time only.

Method: times are CPU time of the calling thread (time.thread_time): on a shared machine other
processes' load only adds to wall time. Five clients on the same transport (unwatched; watched with
on_drift="ignore", which like "warn" lets the anthropic client check a request just after sending
it, from the bytes the SDK serialized; watched with on_drift="raise", which checks before sending;
one with a hook that does nothing; and one whose hook serializes and hashes the body once, the
least a byte-exact check of the request dicts can do) take turns in an order that rotates, in two
ways:
- in runs: each client makes a run of calls in turn (the request sent again 12 times; a whole
  growing conversation of 12 calls), so its caches are as warm as in a tight loop;
- call by call: each call of one client is followed by the same call on the others, so every call
  starts with caches the others have used, closer to an application that does other work between
  calls.
The overhead of a round (a run, or a call and its neighbours) is watched/unwatched - 1; for a
growing conversation it is taken over the whole conversation, so its cold first call counts as
often as it happens. Reported: the median and the spread (25th-75th percentile) over the rounds,
and the figure from the fastest calls (each client's minimum); for a growing conversation in runs,
also its first call and its later calls apart. Also shown: fingerprinting alone, and xxh3 of the
whole body.

Target (issue 5): added time at most 10% of the unwatched client's time at 100k tokens.
Run: .venv/bin/python bench/runtime_bench.py [--provider anthropic|openai] [--size 100k|10k] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings
from typing import Any, Callable

import anthropic
import httpx2
import openai
import xxhash

import cachelint
from cachelint.runtime.segments import fingerprint
from cachelint.runtime.serialize import SERIALIZER, dumps

warnings.filterwarnings("ignore", category=DeprecationWarning)

ANTHROPIC_REPLY = json.dumps(
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

OPENAI_REPLY = json.dumps(
    {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-5",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 99010, "completion_tokens": 1, "total_tokens": 99011, "prompt_tokens_details": {"cached_tokens": 99000}},
    }
).encode()

GROWTH_TURNS = 12
LABELS = ("unwatched", "no-op hook", "serialize+hash", "watched", "watched, raise")


def anthropic_handler(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "application/json"}, content=ANTHROPIC_REPLY)


def openai_handler(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "application/json"}, content=OPENAI_REPLY)


def message(i: int, chars: int, *, marked: bool = False, tag: str = "") -> dict[str, Any]:
    text = (f"{tag}Turn {i}: here is some conversation text, with détails. " * (chars // 55 + 1))[:chars]
    block: dict[str, Any] = {"type": "text", "text": text}
    if marked:
        block["cache_control"] = {"type": "ephemeral"}
    return {"role": "user" if i % 2 == 0 else "assistant", "content": [block]}


def build_request(system_chars: int, n_tools: int, n_messages: int, message_chars: int) -> dict[str, Any]:
    """An anthropic Messages request: breakpoints on the last tool, the system prompt and the newest message."""
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


def as_openai(body: dict[str, Any]) -> dict[str, Any]:
    """The same content as a Chat Completions request: the system prompt as the first message,
    function tools, plain-text messages (OpenAI caches automatically: no breakpoint markers)."""
    tools = [
        {"type": "function", "function": {"name": t["name"], "description": t["description"], "parameters": t["input_schema"]}}
        for t in body["tools"]
    ]
    system = {"role": "system", "content": body["system"][0]["text"]}
    messages = [{"role": m["role"], "content": m["content"][0]["text"]} for m in body["messages"]]
    return {"model": "gpt-5", "max_completion_tokens": 1024, "messages": [system, *messages], "tools": tools}


def cpu_per_call(fn: Callable[[], Any], inner: int) -> float:
    start = time.thread_time()
    for _ in range(inner):
        fn()
    return (time.thread_time() - start) / inner


class NoOp(anthropic.Middleware):
    """What the SDK's middleware mechanism costs by itself."""

    def handle(self, request: Any, call_next: Any) -> Any:
        return call_next(request)


class SerializeAndHash(anthropic.Middleware):
    """A reference point: the body serialized once (orjson) and hashed (xxh3) in the same hook,
    the least any byte-exact check of the request can do."""

    def handle(self, request: Any, call_next: Any) -> Any:
        xxhash.xxh3_64_intdigest(dumps(request.json))
        return call_next(request)


def anthropic_clients() -> dict[str, Callable[..., Any]]:
    plain = anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(anthropic_handler)))
    watched = cachelint.watch(plain, tracker=cachelint.PrefixTracker(), on_drift="ignore")
    raising = cachelint.watch(plain, tracker=cachelint.PrefixTracker(), on_drift="raise")
    return {
        "unwatched": plain.messages.create,
        "no-op hook": plain.with_middleware(NoOp()).messages.create,
        "serialize+hash": plain.with_middleware(SerializeAndHash()).messages.create,
        "watched": watched.messages.create,
        "watched, raise": raising.messages.create,
    }


def openai_clients() -> dict[str, Callable[..., Any]]:
    transport = httpx2.MockTransport(openai_handler)

    def client() -> openai.OpenAI:
        return openai.OpenAI(api_key="k", http_client=openai.DefaultHttpxClient(transport=transport))

    noop = client()
    original = noop.request

    def request(*args: Any, **kwargs: Any) -> Any:  # what wrapping `request` costs by itself
        return original(*args, **kwargs)

    noop.request = request  # type: ignore[method-assign]
    hashing = client()
    hashing_original = hashing.request

    def hashing_request(*args: Any, **kwargs: Any) -> Any:
        options = args[1] if len(args) > 1 else kwargs.get("options")
        xxhash.xxh3_64_intdigest(dumps(options.json_data))
        return hashing_original(*args, **kwargs)

    hashing.request = hashing_request  # type: ignore[method-assign]
    watched = cachelint.watch(client(), tracker=cachelint.PrefixTracker(), on_drift="ignore")
    raising = cachelint.watch(client(), tracker=cachelint.PrefixTracker(), on_drift="raise")
    return {
        "unwatched": client().chat.completions.create,
        "no-op hook": noop.chat.completions.create,
        "serialize+hash": hashing.chat.completions.create,
        "watched": watched.chat.completions.create,
        "watched, raise": raising.chat.completions.create,
    }


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], statistics.median(values), q[2]


def overheads(times: dict[str, list[float]], label: str) -> list[float]:
    """What client `label` adds in each round, as a fraction of the unwatched client's time there."""
    return [t / u - 1 for t, u in zip(times[label], times["unwatched"])]


def report(name: str, times: dict[str, list[float]], hook: str) -> dict[str, float]:
    """Overheads of the rounds (watched against unwatched of the same round): median and spread."""
    base = times["unwatched"]
    added = overheads(times, "watched")
    sdk = overheads(times, "no-op hook")
    floor = overheads(times, "serialize+hash")
    raising = overheads(times, "watched, raise")
    lo, mid, hi = quartiles(added)
    raise_lo, raise_mid, raise_hi = quartiles(raising)
    fastest = min(times["watched"]) / min(base) - 1
    unwatched = statistics.median(base)
    print(f"  {name}")
    print(f"    unwatched client          {unwatched * 1000:8.3f} ms/call (median of {len(base)} rounds)")
    print(f"    watched client            {statistics.median(times['watched']) * 1000:8.3f} ms/call")
    print(f"    added by cachelint        {mid * unwatched * 1000:8.3f} ms/call  ({mid:+.1%} of unwatched, spread {lo:+.1%}..{hi:+.1%}; fastest calls {fastest:+.1%}; target <= 10%)")
    print(f"      of which the SDK hook   {statistics.median(sdk) * unwatched * 1000:8.3f} ms/call  ({statistics.median(sdk):+.1%}: {hook} that does nothing)")
    print(f"    with on_drift=raise       {raise_mid * unwatched * 1000:8.3f} ms/call  ({raise_mid:+.1%}, spread {raise_lo:+.1%}..{raise_hi:+.1%}: checked before sending)")
    print(f"    for reference             {statistics.median(floor) * unwatched * 1000:8.3f} ms/call  ({statistics.median(floor):+.1%}: {hook} that serializes and hashes the body once)")
    out = {"median": mid, "p25": lo, "p75": hi, "fastest": fastest, "hook": statistics.median(sdk), "serialize_hash": statistics.median(floor)}
    out.update(raise_median=raise_mid, raise_p25=raise_lo, raise_p75=raise_hi)
    return {**out, "unwatched_ms": unwatched * 1000}


def added_only(name: str, times: dict[str, list[float]]) -> dict[str, float]:
    """One line: what the watched client adds to these calls (median of the rounds, and spread)."""
    lo, mid, hi = quartiles(overheads(times, "watched"))
    unwatched = statistics.median(times["unwatched"])
    print(f"      {name}: {mid * unwatched * 1000:.3f} ms/call added ({mid:+.1%}, spread {lo:+.1%}..{hi:+.1%})")
    return {"median": mid, "p25": lo, "p75": hi, "unwatched_ms": unwatched * 1000}


def rotations(r: int) -> tuple[str, ...]:
    return LABELS[r % len(LABELS) :] + LABELS[: r % len(LABELS)]


def bench(provider: str, size: str, rounds: int) -> dict[str, dict[str, float]]:
    if size == "100k":
        body, message_chars = build_request(system_chars=120_000, n_tools=20, n_messages=200, message_chars=1_200), 1_200
    else:
        body, message_chars = build_request(system_chars=12_000, n_tools=20, n_messages=20, message_chars=400), 400
    convert = as_openai if provider == "openai" else (lambda b: b)
    request = convert(body)
    raw = dumps(request)
    print(f"{provider} {size}-token request: {len(raw):,} bytes (~{len(raw) // 4:,} tokens), {len(fingerprint(request, provider))} segments, serializer {SERIALIZER}")
    create = openai_clients() if provider == "openai" else anthropic_clients()
    for fn in create.values():  # warm up: imports, first-call caches
        fn(**request)
    hook = "a `request` wrapper" if provider == "openai" else "a middleware"
    out: dict[str, dict[str, float]] = {}
    conversation = 0

    # In runs: a client's calls one after another.
    same: dict[str, list[float]] = {k: [] for k in LABELS}
    grow: dict[str, list[float]] = {k: [] for k in LABELS}
    first: dict[str, list[float]] = {k: [] for k in LABELS}
    later: dict[str, list[float]] = {k: [] for k in LABELS}
    for r in range(rounds):
        for label in rotations(r):
            fn = create[label]
            same[label].append(cpu_per_call(lambda: fn(**request), GROWTH_TURNS))
        conversation += 1
        requests = [convert(b) for b in growing(body, message_chars, conversation)]
        for label in rotations(r):
            fn = create[label]
            times = [cpu_per_call(lambda: fn(**req), 1) for req in requests]
            grow[label].append(sum(times) / GROWTH_TURNS)
            first[label].append(times[0])
            later[label].append(sum(times[1:]) / (GROWTH_TURNS - 1))
    out["same, runs"] = report(f"the same request again, in runs of {GROWTH_TURNS} calls", same, hook)
    out["growing, runs"] = report(f"a growing conversation ({GROWTH_TURNS} calls, the first one cold), in runs", grow, hook)
    out["growing, runs, first call"] = added_only("its first call (cold: nothing to continue)", first)
    out["growing, runs, later calls"] = added_only(f"its {GROWTH_TURNS - 1} later calls (each two messages longer)", later)

    # Call by call: every call followed by the same call on the other clients.
    same = {k: [] for k in LABELS}
    grow = {k: [] for k in LABELS}
    for r in range(rounds * GROWTH_TURNS):
        for label in rotations(r):
            fn = create[label]
            same[label].append(cpu_per_call(lambda: fn(**request), 1))
    for r in range(rounds):
        conversation += 1
        requests = [convert(b) for b in growing(body, message_chars, conversation)]
        totals = dict.fromkeys(LABELS, 0.0)
        for turn, req in enumerate(requests):
            for label in rotations(turn):
                fn = create[label]
                totals[label] += cpu_per_call(lambda: fn(**req), 1)
        for label in LABELS:
            grow[label].append(totals[label] / GROWTH_TURNS)
    out["same, calls"] = report("the same request again, call by call", same, hook)
    out["growing, calls"] = report(f"a growing conversation ({GROWTH_TURNS} calls, the first one cold), call by call", grow, hook)

    fp_t = min(cpu_per_call(lambda: fingerprint(request, provider), 20) for _ in range(rounds))
    hash_t = min(cpu_per_call(lambda: xxhash.xxh3_64_intdigest(raw), 200) for _ in range(rounds))
    print(f"  fingerprint alone (repeat)  {fp_t * 1000:8.3f} ms  (segment, serialize, hash, chain)")
    if provider == "anthropic":  # what the watched client does after sending: reads the SDK's bytes
        as_sent = {"max_tokens": request["max_tokens"], "messages": request["messages"], **request}  # the SDK's key order
        sent = json.dumps(as_sent, ensure_ascii=False, separators=(",", ":")).encode()
        sent_t = min(cpu_per_call(lambda: fingerprint(as_sent, provider, sent=sent), 20) for _ in range(rounds))
        print(f"    from the sent bytes       {sent_t * 1000:8.3f} ms")
    print(f"  xxh3_64 of whole body       {hash_t * 1000:8.4f} ms")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", choices=("anthropic", "openai"), action="append", help="default: both")
    parser.add_argument("--size", choices=("100k", "10k"), action="append", help="default: both")
    parser.add_argument("--rounds", type=int, default=15, help="rounds per case and way (a run, or 12 calls one by one); 30 for steadier medians")
    parser.add_argument("--json", metavar="PATH", help="also write the overhead figures here")
    args = parser.parse_args()
    results = {}
    for size in args.size or ("100k", "10k"):
        for provider in args.provider or ("anthropic", "openai"):
            results[f"{provider} {size}"] = bench(provider, size, args.rounds)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
