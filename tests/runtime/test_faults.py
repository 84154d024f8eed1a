"""When the companion's own parts fail, the user's call still returns the SDK's normal response,
the failure is logged (without flooding), and as much as possible is still recorded."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
from typing import Any

import anthropic
import httpx2
import pytest

import cachelint
from cachelint.runtime import checks, otel
from cachelint.runtime import tracker as tracker_mod
from cachelint.runtime.adapters import base
from cachelint.runtime.errors import InternalErrors
from cachelint.runtime.logsink import JsonLinesSink
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime import load
from tests.runtime.conftest import anthropic_body, grow
from tests.runtime.fakes import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("injected fault")


def make(records: list[dict[str, Any]], *, async_: bool = False, **tracker_kwargs: Any) -> Any:
    transport = httpx2.MockTransport(Recorder())
    if async_:
        client = anthropic.AsyncAnthropic(api_key="k", max_retries=0, http_client=anthropic.DefaultAsyncHttpxClient(transport=transport))
    else:
        client = anthropic.Anthropic(api_key="k", max_retries=0, http_client=anthropic.DefaultHttpxClient(transport=transport))
    return cachelint.watch(client, log=records.append, tracker=PrefixTracker(**tracker_kwargs))


def drifting_calls(client: Any, *, stream: bool = False) -> list[str]:
    """Two calls of one conversation, the second with a changed system prompt; the replies' text."""
    first = anthropic_body(1)
    second = grow(first)
    second["system"][0]["text"] += " It is 10:46."
    texts = []
    with cachelint.conversation("faulty"):
        for body in (first, second):
            if stream:
                with client.messages.stream(**body) as s:
                    texts.append("".join(s.text_stream))
            else:
                texts.append(client.messages.create(**body).content[0].text)
    return texts


# (what breaks, what to patch, how many of the two calls still leave a log line)
FAULTS = [
    ("serialization", (tracker_mod, "fingerprint"), 0),
    ("drift classification", (tracker_mod, "classify"), 1),  # the first call has nothing to compare
    ("request checks", (checks, "request_checks"), 0),
    ("the clock", None, 0),
    ("usage normalization", (tracker_mod, "usage_from"), 2),
    ("accounting", (tracker_mod, "input_cost"), 2),
    ("usage checks", (checks, "usage_checks"), 2),
    ("the OpenTelemetry probe", (otel, "active"), 0),
    ("building the log line", (PrefixTracker, "_record"), 0),
]


@pytest.mark.parametrize("stream", [False, True], ids=["create", "stream"])
@pytest.mark.parametrize("fault, target, lines", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_failing_part_never_fails_the_call(monkeypatch, caplog, fault, target, lines, stream):
    records: list[dict[str, Any]] = []
    if target is None:
        client = make(records, clock=boom)
    else:
        monkeypatch.setattr(*target, boom)
        client = make(records)
    with caplog.at_level(logging.ERROR, logger="cachelint"):
        assert drifting_calls(client, stream=stream) == ["Hello", "Hello"]
    assert "injected fault" in caplog.text  # logged with its traceback
    assert len(records) == lines
    if lines == 2:  # usage or accounting failed: the lines are there, drift and all
        assert [r["turn"] for r in records] == [1, 2] and records[1]["drift"]["where"] == "system[0]"


def test_a_failing_drift_listener_and_log_callable(caplog):
    def broken_log(record: dict[str, Any]) -> None:
        raise OSError("disk full")

    base.add_listener(boom)
    try:
        client = cachelint.watch(anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(Recorder()))), log=broken_log, tracker=PrefixTracker())
        with caplog.at_level(logging.ERROR, logger="cachelint"):
            assert drifting_calls(client) == ["Hello", "Hello"]
    finally:
        base.remove_listener(boom)
    assert "drift listener failed" in caplog.text and "cannot write the log line" in caplog.text


def test_async_client_with_failing_parts(monkeypatch):
    monkeypatch.setattr(tracker_mod, "classify", boom)
    monkeypatch.setattr(tracker_mod, "input_cost", boom)
    records: list[dict[str, Any]] = []
    client = make(records, async_=True)

    async def main() -> list[str]:
        body = anthropic_body(1)
        replies = await asyncio.gather(*(client.messages.create(**body) for _ in range(5)))
        return [r.content[0].text for r in replies]

    assert asyncio.run(main()) == ["Hello"] * 5
    assert len(records) == 1  # the first had nothing to compare; classify failed for the rest


def test_a_repeating_fault_is_logged_a_few_times_then_counted(monkeypatch, caplog):
    monkeypatch.setattr(tracker_mod, "fingerprint", boom)
    client = make([])
    with caplog.at_level(logging.DEBUG, logger="cachelint"):
        for _ in range(12):
            client.messages.create(**anthropic_body(1))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == InternalErrors().burst and all(r.exc_info for r in errors)
    assert sum(r.levelno == logging.DEBUG and "unwatched" in r.getMessage() for r in caplog.records) == 12 - len(errors)


def test_a_value_orjson_refuses_goes_out_and_is_still_watched():
    """A tool input with an integer beyond 64 bits: the SDK's json sends it, and cachelint falls
    back to the standard library rather than letting the request go unwatched."""
    records: list[dict[str, Any]] = []
    client = make(records)
    body = anthropic_body(1)
    body["messages"].append({"role": "assistant", "content": [{"type": "tool_use", "id": "tu1", "name": "run_sql", "input": {"n": 2**70}}]})
    body["messages"].append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": "tu1", "content": "ok"}]})
    assert client.messages.create(**body).content[0].text == "Hello"
    changed = grow(body)
    changed["messages"][1]["content"][0]["input"]["n"] = 2**70 + 1
    client.messages.create(**changed)
    assert [r["drift"] and r["drift"]["where"] for r in records] == [None, "messages[1] rewritten"]


def test_clocks_going_backwards(monkeypatch):
    """The tracker's clock and the process's clocks run backwards: calls succeed, turns and
    conversations are right, and no time-based finding is made up from a negative gap."""
    ticks = iter(range(10_000, 0, -7))
    records: list[dict[str, Any]] = []
    client = make(records, clock=lambda: float(next(ticks)))
    real_time, real_monotonic = time.time, time.monotonic
    offset = [0.0]

    def backwards(real: Any) -> Any:
        def clock() -> float:
            offset[0] -= 30.0
            return real() + offset[0]

        return clock

    monkeypatch.setattr(time, "time", backwards(real_time))
    monkeypatch.setattr(time, "monotonic", backwards(real_monotonic))
    monkeypatch.setattr(otel, "_checked", None)
    body = anthropic_body(1)
    with cachelint.conversation("rewinding"):
        for _ in range(4):
            assert client.messages.create(**body).content[0].text == "Hello"
            body = grow(body)
    assert [(r["conversation"], r["turn"], r["drift"]) for r in records] == [("rewinding", n, None) for n in (1, 2, 3, 4)]
    assert not any(f["name"] == "ttl-gap" for r in records for f in r["findings"])


def test_log_file_removed_then_unwritable_then_back(tmp_path, caplog):
    """The log's directory is deleted (the file is recreated), then a file takes its place (lines
    are dropped and counted, with one warning), then it is gone again (logging resumes)."""
    log_dir = tmp_path / "logs"
    path = log_dir / "calls.jsonl"
    sink = JsonLinesSink(path)
    sink.retry_seconds = 0.0
    client = cachelint.watch(anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(Recorder()))), log=sink, tracker=PrefixTracker())
    body = anthropic_body(1)

    def calls(n: int) -> None:
        nonlocal body
        for _ in range(n):
            assert client.messages.create(**body).content[0].text == "Hello"
            body = grow(body)

    with caplog.at_level(logging.WARNING, logger="cachelint"):
        calls(2)
        shutil.rmtree(log_dir)
        calls(3)
        assert [json.loads(line)["turn"] for line in path.read_text().splitlines()] == [3, 4, 5]
        shutil.rmtree(log_dir)
        log_dir.write_text("not a directory")
        calls(4)
        log_dir.unlink()
        calls(2)
    assert [json.loads(line)["turn"] for line in path.read_text().splitlines()] == [10, 11]
    assert sink.dropped == 4
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2 and "cannot write the log" in warnings[0] and "4 record(s) were dropped" in warnings[1]


def test_a_full_disk_drops_lines_without_failing_calls():
    sink = JsonLinesSink("/dev/full")
    client = cachelint.watch(anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(Recorder()))), log=sink, tracker=PrefixTracker())
    for _ in range(3):
        assert client.messages.create(**anthropic_body(1)).content[0].text == "Hello"
    assert sink.dropped == 3


def test_faults_under_load(tmp_path, monkeypatch):
    """8 threads; accounting fails on every fifth call and the log directory is deleted mid-run:
    every call returns its own reply, and every line left in the log is whole and right."""
    real_input_cost = tracker_mod.input_cost

    def flaky_input_cost(usage: Any, facts: Any) -> Any:
        if usage.output % 5 == 0:  # the mock provider puts the call id in output_tokens
            raise RuntimeError("injected fault")
        return real_input_cost(usage, facts)

    monkeypatch.setattr(tracker_mod, "input_cost", flaky_input_cost)
    log = tmp_path / "logs" / "calls.jsonl"
    sink = JsonLinesSink(log)
    sink.retry_seconds = 0.0  # a write racing the deletion may fail; the next one tries again

    def before_call(call_id: int) -> None:
        if call_id == 200:
            # A writer racing the deletion may recreate the file: the log is still lost mid-run.
            shutil.rmtree(log.parent, ignore_errors=True)

    result = load.run_threads("anthropic", calls=480, workers=8, log=log, max_conversations=20, before_call=before_call, sink=sink)
    records = load.check(result, "anthropic", complete=False)
    # The lines written before the deletion went with it; the calls in flight then may have lost theirs.
    assert 480 - 200 - 8 - sink.dropped <= len(records) < 480 and sink.dropped <= 8
    assert all((r["cost"] is None) == (r["usage"]["output"] % 5 == 0) for r in records)
    assert result.tracker.errors.count == 96
