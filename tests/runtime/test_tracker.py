"""Conversations (explicit, context, automatic), bounded memory, thread/task safety, accounting."""

from __future__ import annotations

import asyncio
import copy
import threading

import pytest

import cachelint
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.conftest import anthropic_body, grow

WRITE = {"input_tokens": 10, "cache_creation_input_tokens": 2000, "cache_read_input_tokens": 0, "output_tokens": 5}
READ = {"input_tokens": 10, "cache_creation_input_tokens": 50, "cache_read_input_tokens": 2000, "output_tokens": 5}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_explicit_and_context_conversations_keep_requests_apart(body):
    t = PrefixTracker()
    other = copy.deepcopy(body)
    other["system"][0]["text"] = "A different agent."
    assert t.observe(body, conversation="a") is None
    assert t.observe(other, conversation="b") is None
    with cachelint.conversation("a"):
        assert t.observe(grow(body)) is None
    assert t.observe(other, conversation="a").where == "system[0]"
    assert set(t.conversations()) == {"a", "b"}


def test_automatic_grouping_follows_growth_and_separates_unrelated(body):
    t = PrefixTracker()
    other = anthropic_body(1, system="Another agent entirely. " * 100)
    other["messages"][0]["content"][0]["text"] = "unrelated first message"
    assert t.observe(body) is None
    assert t.observe(other) is None
    assert t.observe(grow(body)) is None
    assert t.observe(grow(grow(body))) is None
    assert t.observe(grow(other)) is None
    assert len(t.conversations()) == 2


def test_automatic_grouping_attributes_head_drift_to_its_conversation(body):
    t = PrefixTracker()
    t.observe(body)
    changed = grow(body)
    changed["system"][0]["text"] += " Today is Tuesday."
    report = t.observe(changed)
    assert report is not None and report.where == "system[0]"
    assert t.conversations() == ["auto-1"]


@pytest.mark.parametrize("added", [1, 3, 12])
def test_automatic_grouping_finds_a_conversation_far_back_in_the_request(body, added):
    """A request goes to the conversation whose latest request it shares the longest prefix with,
    however far from its end that prefix stops (the last few boundaries are looked up first, the
    rest after one test of the whole chain). Here a second agent sent the same messages after
    another system prompt: only the whole prefix tells the two apart."""
    t = PrefixTracker()
    history = grow(body, 16)
    other = copy.deepcopy(history)
    other["system"][0]["text"] = "Another agent entirely. " * 100
    t.observe(history, conversation="a")
    t.observe(other, conversation="b")
    branch = copy.deepcopy(history)
    kept = len(branch["messages"]) - 2
    branch["messages"] = branch["messages"][:kept]
    branch["messages"] += [{"role": "user", "content": [{"type": "text", "text": f"a different turn {i}"}]} for i in range(added)]
    report = t.observe(branch)
    assert t.conversations() == ["b", "a"] and t.stats("a")[0].calls == 2
    assert report is not None and report.segment == f"messages[{kept}]"


def test_automatic_grouping_catches_a_sliding_window(body):
    t = PrefixTracker()
    a = grow(body, 5)
    t.observe(a)
    b = grow(a)
    b["messages"] = b["messages"][2:]
    report = t.observe(b)
    assert report is not None and report.kind == "dropped_front"


def test_memory_is_bounded_and_indexes_forget_evicted_conversations():
    t = PrefixTracker(max_conversations=5)
    for i in range(50):
        t.observe(anthropic_body(2, system=f"agent {i} " * 50), conversation=f"c{i}")
    assert t.conversations() == [f"c{i}" for i in range(45, 50)]
    live = set(t.conversations())
    assert set(t._by_boundary.values()) <= live and set(t._by_messages.values()) <= live
    assert len(t._by_boundary) <= 5 * 2


def test_threads_do_not_corrupt_state():
    t = PrefixTracker(max_conversations=64)
    errors = []

    def worker(n: int) -> None:
        try:
            body = anthropic_body(1, system=f"worker {n} " * 30)
            for _ in range(20):
                assert t.observe(body, conversation=f"w{n}") is None
                body = grow(body)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(s.calls for s in t.stats()) == [20] * 8


def test_context_conversation_is_per_asyncio_task():
    t = PrefixTracker()

    async def agent(name: str) -> list:
        reports = []
        with cachelint.conversation(name):
            body = anthropic_body(1, system=f"{name} " * 30)
            for _ in range(5):
                reports.append(t.observe(body))
                await asyncio.sleep(0)
                body = grow(body)
        return reports

    async def main() -> list:
        return await asyncio.gather(*(agent(f"task{i}") for i in range(6)))

    results = asyncio.run(main())
    assert all(r is None for reports in results for r in reports)
    assert sorted(t.conversations()) == [f"task{i}" for i in range(6)]


def test_accounting_hit_rate_and_money(body):
    t = PrefixTracker()
    t.observe(body, conversation="c", usage=WRITE)
    t.observe(grow(body), conversation="c", usage=READ)
    (s,) = t.stats("c")
    assert s.calls == 2
    assert (s.usage.read, s.usage.write, s.usage.uncached) == (2000, 2050, 20)
    assert abs(s.hit_rate - 2000 / 4070) < 1e-9
    # claude-sonnet-4-5: $3/MTok input, 0.1x read, 1.25x 5-minute write (rules/providers.yaml)
    expected = 3e-6 * (20 + 0.1 * 2000 + 1.25 * 2050)
    assert abs(s.cost - expected) < 1e-12 and s.priced
    assert abs(s.cost_no_cache - 3e-6 * 4070) < 1e-12


def test_drift_is_priced_from_the_previous_usage(body):
    t = PrefixTracker()
    t.observe(body, conversation="c", usage=WRITE)
    b = grow(body)
    b["tools"][0]["description"] = "x"
    r = t.observe(b, conversation="c")
    assert not r.tokens_estimated and r.prefix_tokens == 2010
    assert r.cost_lost == pytest.approx(r.tokens_invalidated * 3e-6 * (1.25 - 0.1))
    assert t.stats("c")[0].lost_to_drift == r.cost_lost


def test_ttl_gap_is_flagged_before_and_after_the_call(body):
    clock = Clock()
    records = []
    t = PrefixTracker(clock=clock, log=records.append)
    t.observe(body, conversation="c", usage=WRITE)
    clock.now += 400  # past the 5-minute TTL
    t.observe(grow(body), conversation="c", usage=WRITE)
    names = [f["name"] for f in records[-1]["findings"]]
    assert names.count("ttl-gap") == 2  # predicted before sending, confirmed by the usage
    assert records[-1]["cost"]["lost"] > 0


def test_write_never_read_inside_the_ttl(body):
    clock = Clock()
    records = []
    t = PrefixTracker(clock=clock, log=records.append)
    t.observe(body, conversation="c", usage=WRITE)
    clock.now += 10
    t.observe(grow(body), conversation="c", usage=WRITE)
    names = [f["name"] for f in records[-1]["findings"]]
    assert "write-never-read" in names and "ttl-gap" not in names
    assert t.stats("c")[0].lost_to_misses > 0


def test_request_checks_breakpoints():
    records = []
    t = PrefixTracker(log=records.append)
    body = anthropic_body(6)
    for m in body["messages"]:
        # This test builds the over-limit request on purpose.
        m["content"][0]["cache_control"] = {"type": "ephemeral"}  # noqa: CL402
    t.observe(body)
    names = {f["name"] for f in records[-1]["findings"]}
    assert "too-many-breakpoints" in names
    ttl = anthropic_body(1)
    ttl["messages"][0]["content"][0]["cache_control"] = {"type": "ephemeral", "ttl": "1h"}
    t.observe(ttl)
    assert "ttl-order-violation" in {f["name"] for f in records[-1]["findings"]}
    small = {"model": "claude-sonnet-4-5", "system": [{"type": "text", "text": "tiny", "cache_control": {"type": "ephemeral"}}], "messages": [{"role": "user", "content": "hi"}]}
    t.observe(small)
    (finding,) = [f for f in records[-1]["findings"] if f["name"] == "breakpoint-below-minimum"]
    assert "1,024-token minimum" in finding["message"] and "providers.yaml:" in finding["message"]


def test_lookback_overflow_and_breakpoint_moved_earlier():
    records = []
    t = PrefixTracker(log=records.append)
    a = anthropic_body(2)
    a["messages"][-1]["content"][0]["cache_control"] = {"type": "ephemeral"}
    t.observe(a, conversation="c")
    b = grow(a, 24)
    del b["messages"][1]["content"][0]["cache_control"]
    b["messages"][-1]["content"][0]["cache_control"] = {"type": "ephemeral"}
    t.observe(b, conversation="c")
    assert "lookback-overflow" in {f["name"] for f in records[-1]["findings"]}
    t.observe(a, conversation="c")
    assert "breakpoint-moved-earlier" in {f["name"] for f in records[-1]["findings"]}


def test_log_lines_hold_hashes_not_text(body):
    records = []
    t = PrefixTracker(log=records.append)
    secret = copy.deepcopy(body)
    secret["system"][0]["text"] = "PASSWORD=hunter2 " * 200
    t.observe(secret, conversation="c", usage=WRITE)
    changed = grow(secret)
    changed["system"][0]["text"] += "x"
    t.observe(changed, conversation="c")
    assert "hunter2" not in repr(records)
    assert records[-1]["drift"]["where"] == "system[0]" and len(records[-1]["chain_head"]) == 16


def test_openai_chats_sharing_a_system_prompt_stay_apart():
    """Automatic grouping: the system message that opens every chat of an app is shared head
    content, not a turn, so chats that differ from their first user message on are apart."""
    t = PrefixTracker()
    system = {"role": "system", "content": "You answer billing questions. " * 50}
    a = [system, {"role": "user", "content": "Invoice 1 is wrong"}]
    b = [system, {"role": "user", "content": "Where is my refund?"}]
    assert t.observe({"model": "gpt-4o", "messages": a}, provider="openai") is None
    assert t.observe({"model": "gpt-4o", "messages": b}, provider="openai") is None
    grown = [*a, {"role": "assistant", "content": "Let me check."}, {"role": "user", "content": "Thanks"}]
    assert t.observe({"model": "gpt-4o", "messages": grown}, provider="openai") is None
    assert [s.calls for s in t.stats()] == [1, 2]
    changed = [{"role": "system", "content": system["content"] + " Be brief."}, *grown[1:], {"role": "user", "content": "And?"}]
    assert t.observe({"model": "gpt-4o", "messages": changed}, provider="openai").where == "messages[0] rewritten"
    assert len(t.conversations()) == 2


def test_prompt_cache_keys_keep_chats_with_the_same_opening_apart():
    """Two users keyed apart (`prompt_cache_key` per user) who both open with "Hi" are two
    conversations; a key changed in the middle of one conversation (its later turns are shared)
    is still drift."""
    t = PrefixTracker()
    system = {"role": "system", "content": "You answer billing questions. " * 50}

    def chat(key, *turns):
        return {"model": "gpt-4o", "prompt_cache_key": key, "messages": [system, *({"role": r, "content": c} for r, c in turns)]}

    hi = ("user", "Hi")
    assert t.observe(chat("user-alice", hi), provider="openai") is None
    assert t.observe(chat("user-bob", hi), provider="openai") is None
    assert t.observe(chat("user-alice", hi, ("assistant", "Hello Alice"), ("user", "Invoice?")), provider="openai") is None
    assert t.observe(chat("user-bob", hi, ("assistant", "Hello Bob"), ("user", "Refund?")), provider="openai") is None
    assert len(t.conversations()) == 2
    rekeyed = t.observe(chat("request-7f3a", hi, ("assistant", "Hello Alice"), ("user", "Invoice?"), ("assistant", "Sent."), ("user", "Thanks")), provider="openai")
    assert rekeyed is not None and rekeyed.where == "param prompt_cache_key"
