"""A load generator for watched clients: many concurrent conversations through real SDK clients on
mock transports, and a checker that every call left exactly one correct log line.

Each call carries a unique id in its newest message; the mock provider answers with that id as the
output token count, so a log line's usage names the request it answered. The plan says, for every
id, which conversation and turn it was and whether its system prompt had just changed, so every
line can be checked against the request that produced it.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx2

import cachelint
from cachelint.runtime.logsink import JsonLinesSink
from cachelint.runtime.segments import fingerprint
from cachelint.runtime.serialize import hex64
from cachelint.runtime.tracker import PrefixTracker

SYSTEM = "You are a careful assistant for the billing team. Answer briefly. " * 30
TOOLS = [
    {"name": f"tool_{i}", "description": f"Looks up record kind {i}", "input_schema": {"type": "object", "properties": {"id": {"type": "string"}}}}
    for i in range(4)
]
TURNS = 8
DRIFT_TURN = 4
_CALL_ID = re.compile(r"call-id (\d+)")


def drifts(conv: int) -> bool:
    """Every third conversation changes its system prompt at DRIFT_TURN."""
    return conv % 3 == 1


def explicit(conv: int) -> bool:
    """Even conversations name themselves; odd ones are grouped automatically."""
    return conv % 2 == 0


@dataclass
class Plan:
    """What each call id was: (conversation, turn, drift expected)."""

    calls: dict[int, tuple[int, int, bool]] = field(default_factory=dict)
    heads: dict[int, str] = field(default_factory=dict)  # call id -> chain head of the body the provider got
    _ids: Iterator[int] = field(default_factory=lambda: iter(range(10**9)))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_id(self, conv: int, turn: int) -> int:
        with self._lock:
            call_id = next(self._ids)
        self.calls[call_id] = (conv, turn, drifts(conv) and turn == DRIFT_TURN)
        return call_id


class Conversation:
    """One conversation's history; `request()` gives the next call's kwargs."""

    def __init__(self, conv: int, provider: str) -> None:
        self.conv = conv
        self.provider = provider
        self.history: list[dict[str, Any]] = []
        self.turn = 0

    def request(self, call_id: int) -> dict[str, Any]:
        self.turn += 1
        system = SYSTEM + (f" Policy version {self.conv}." if drifts(self.conv) and self.turn >= DRIFT_TURN else "")
        text = f"conversation {self.conv} turn {self.turn} call-id {call_id}: please check invoice {self.conv * 1000 + self.turn}."
        if self.provider == "openai":
            self.history.append({"role": "user", "content": text})
            return {"model": "gpt-4o", "messages": [{"role": "system", "content": system}, *self.history]}
        self.history.append({"role": "user", "content": [{"type": "text", "text": text}]})
        # The breakpoint moves to the newest message each turn, as agents do.
        messages = [*self.history[:-1], {"role": "user", "content": [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}]}]
        return {
            "model": "claude-sonnet-4-5",
            "max_tokens": 64,
            "tools": TOOLS,
            "system": [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}],
            "messages": messages,
        }

    def answered(self, call_id: int) -> None:
        reply = f"checked {call_id}"
        self.history.append({"role": "assistant", "content": reply if self.provider == "openai" else [{"type": "text", "text": reply}]})


def _answer(provider: str, body: dict[str, Any]) -> httpx2.Response:
    last = body["messages"][-1]["content"]
    text = last if isinstance(last, str) else last[-1]["text"]
    call_id = int(_CALL_ID.search(text).group(1))  # type: ignore[union-attr]
    if provider == "openai":
        usage = {"prompt_tokens": 900, "completion_tokens": call_id, "total_tokens": 900 + call_id, "prompt_tokens_details": {"cached_tokens": 512}}
        message = {"role": "assistant", "content": f"checked {call_id}"}
        return httpx2.Response(200, json={"id": "c", "object": "chat.completion", "created": 1, "model": body["model"], "choices": [{"index": 0, "message": message, "finish_reason": "stop"}], "usage": usage})
    usage = {"input_tokens": 9, "cache_read_input_tokens": 800, "cache_creation_input_tokens": 100, "output_tokens": call_id}
    message = {"id": "m", "type": "message", "role": "assistant", "content": [{"type": "text", "text": f"checked {call_id}"}], "model": body["model"], "stop_reason": "end_turn", "stop_sequence": None, "usage": usage}
    return httpx2.Response(200, json=message)


def sync_handler(provider: str, plan: Plan) -> Callable[[httpx2.Request], httpx2.Response]:
    def handler(request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        response = _answer(provider, body)
        call_id = response.json()["usage"]["output_tokens" if provider == "anthropic" else "completion_tokens"]
        plan.heads[call_id] = hex64(fingerprint(body, provider).head)  # kept instead of the body: memory
        return response

    return handler


def async_handler(provider: str, plan: Plan) -> Callable[[httpx2.Request], Any]:
    handle = sync_handler(provider, plan)

    async def handler(request: httpx2.Request) -> httpx2.Response:
        await asyncio.sleep(0)  # let the other tasks run between sending and answering
        return handle(request)

    return handler


def make_client(provider: str, plan: Plan, *, async_: bool = False) -> Any:
    if provider == "openai":
        import openai

        if async_:
            return openai.AsyncOpenAI(api_key="k", max_retries=0, http_client=openai.DefaultAsyncHttpxClient(transport=httpx2.MockTransport(async_handler(provider, plan))))
        return openai.OpenAI(api_key="k", max_retries=0, http_client=openai.DefaultHttpxClient(transport=httpx2.MockTransport(sync_handler(provider, plan))))
    import anthropic

    if async_:
        return anthropic.AsyncAnthropic(api_key="k", max_retries=0, http_client=anthropic.DefaultAsyncHttpxClient(transport=httpx2.MockTransport(async_handler(provider, plan))))
    return anthropic.Anthropic(api_key="k", max_retries=0, http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(sync_handler(provider, plan))))


def _create(client: Any, provider: str) -> Callable[..., Any]:
    return client.chat.completions.create if provider == "openai" else client.messages.create


def _check_reply(provider: str, reply: Any, call_id: int) -> None:
    text = reply.choices[0].message.content if provider == "openai" else reply.content[0].text
    assert text == f"checked {call_id}", f"call {call_id} got the reply {text!r}"


@dataclass
class Result:
    calls: int
    seconds: float
    log: Path
    tracker: PrefixTracker
    watcher_errors: int
    plan: Plan


def run_threads(
    provider: str,
    *,
    calls: int,
    workers: int,
    log: Path,
    max_conversations: int,
    before_call: Callable[[int], None] | None = None,
    sink: JsonLinesSink | None = None,
) -> Result:
    """`calls` calls in conversations of TURNS turns, spread over `workers` threads sharing one
    watched client; `before_call(call_id)` runs just before each call (fault injection); `sink`,
    if given, is the sink writing `log`."""
    plan = Plan()
    tracker = PrefixTracker(max_conversations=max_conversations)
    client = cachelint.watch(make_client(provider, plan), log=sink or log, tracker=tracker, on_drift="ignore")
    create = _create(client, provider)
    n_convs = calls // TURNS
    failures: list[BaseException] = []

    def worker(first: int) -> None:
        try:
            for conv in range(first, n_convs, workers):
                c = Conversation(conv, provider)
                for turn in range(1, TURNS + 1):
                    call_id = plan.next_id(conv, turn)
                    kwargs = c.request(call_id)
                    if before_call is not None:
                        before_call(call_id)
                    if explicit(conv):
                        with cachelint.conversation(f"c{conv}"):
                            reply = create(**kwargs)
                    else:
                        reply = create(**kwargs)
                    _check_reply(provider, reply, call_id)
                    c.answered(call_id)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)  # switch threads often, inside calls, to shake out races
    try:
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - start
    finally:
        sys.setswitchinterval(switch)
    if failures:
        raise failures[0]
    from cachelint.runtime.instrument import watcher_of

    return Result(n_convs * TURNS, seconds, log, tracker, watcher_of(client).errors.count, plan)  # type: ignore[union-attr]


def run_tasks(provider: str, *, calls: int, workers: int, log: Path, max_conversations: int) -> Result:
    """The same with `workers` asyncio tasks sharing one watched async client."""
    plan = Plan()
    tracker = PrefixTracker(max_conversations=max_conversations)
    client = cachelint.watch(make_client(provider, plan, async_=True), log=log, tracker=tracker, on_drift="ignore")
    create = _create(client, provider)
    n_convs = calls // TURNS

    async def worker(first: int) -> None:
        for conv in range(first, n_convs, workers):
            c = Conversation(conv, provider)
            for turn in range(1, TURNS + 1):
                call_id = plan.next_id(conv, turn)
                kwargs = c.request(call_id)
                if explicit(conv):
                    with cachelint.conversation(f"c{conv}"):
                        reply = await create(**kwargs)
                else:
                    reply = await create(**kwargs)
                _check_reply(provider, reply, call_id)
                c.answered(call_id)

    async def main() -> None:
        await asyncio.gather(*(worker(i) for i in range(workers)))

    start = time.perf_counter()
    asyncio.run(main())
    seconds = time.perf_counter() - start
    from cachelint.runtime.instrument import watcher_of

    return Result(n_convs * TURNS, seconds, log, tracker, watcher_of(client).errors.count, plan)  # type: ignore[union-attr]


def check(result: Result, provider: str, *, complete: bool = True) -> list[dict[str, Any]]:
    """Every call left exactly one log line (unless not `complete`: lines were removed with the
    log), and each line describes its own call."""
    lines = result.log.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]  # a torn or interleaved line fails here
    if complete:
        assert len(records) == result.calls
    by_id = {r["usage"]["output"]: r for r in records}
    assert len(by_id) == len(records), "two log lines carry the usage of the same response"
    auto_ids: dict[int, str] = {}
    where = "messages[0] rewritten" if provider == "openai" else "system[0]"
    for call_id, r in by_id.items():
        conv, turn, drift = result.plan.calls[call_id]
        assert r["turn"] == turn, (call_id, r["conversation"], r["turn"], turn)
        if explicit(conv):
            assert r["conversation"] == f"c{conv}"
        else:
            assert r["conversation"].startswith("auto-")
            assert auto_ids.setdefault(conv, r["conversation"]) == r["conversation"], f"conversation {conv} was split"
        # The line's hashes are those of the request that carried this call id.
        assert r["chain_head"] == result.plan.heads[call_id]
        assert (r["drift"] is not None) == drift, (call_id, conv, turn, r["drift"])
        if drift:
            assert r["drift"]["where"] == where and r["drift"]["turn"] == turn
    assert len(set(auto_ids.values())) == len(auto_ids), "two conversations were merged"
    return records


def check_bounded(tracker: PrefixTracker, max_conversations: int) -> None:
    """The tracker keeps at most max_conversations, and its indexes only point at those."""
    live = set(tracker.conversations())
    assert len(live) <= max_conversations
    for index in (tracker._by_boundary, tracker._by_messages, tracker._by_message):
        assert set(index.values()) <= live
