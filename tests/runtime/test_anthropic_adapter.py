"""The real anthropic clients through cachelint's middleware, on httpx2 MockTransports."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections import OrderedDict

import anthropic
import httpx2
import pytest

import cachelint
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.conftest import anthropic_body, grow
from tests.runtime.fakes import ANTHROPIC_USAGE, ChunkStream, Recorder, anthropic_message, event_frame

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
EXPECTED_USAGE = {"uncached": 12, "read": 2000, "write_5m": 200, "write_1h": 100, "output": 9}


def kwargs(body):
    return {k: v for k, v in body.items()}


def make(recorder=None, *, async_=False, **watch_kwargs):
    recorder = recorder or Recorder()
    records: list = []
    transport = httpx2.MockTransport(recorder)
    if async_:
        client = anthropic.AsyncAnthropic(api_key="k", max_retries=0, http_client=anthropic.DefaultAsyncHttpxClient(transport=transport))
    else:
        client = anthropic.Anthropic(api_key="k", max_retries=0, http_client=anthropic.DefaultHttpxClient(transport=transport))
    watch_kwargs.setdefault("tracker", PrefixTracker())
    watched = cachelint.watch(client, log=records.append, **watch_kwargs)
    return watched, recorder, records


def test_watch_returns_a_new_client_and_records_usage():
    client, recorder, records = make()
    body = anthropic_body(1)
    message = client.messages.create(**kwargs(body))
    assert message.content[0].text == "Hello"
    assert recorder.bodies[0]["messages"] == body["messages"]
    (rec,) = records
    assert rec["usage"] == EXPECTED_USAGE and rec["op"] == "messages.create" and rec["drift"] is None
    assert rec["provider"] == "anthropic" and rec["model"] == "claude-sonnet-4-5"


def test_stream_still_streams_and_usage_comes_from_the_events():
    client, _, records = make()
    with client.messages.stream(**kwargs(anthropic_body(1))) as stream:
        assert "".join(stream.text_stream) == "Hello"
        final = stream.get_final_message()
    assert final.usage.cache_read_input_tokens == 2000
    assert records[-1]["usage"] == EXPECTED_USAGE and records[-1]["op"] == "messages.stream"


def test_create_stream_true_and_beta_messages():
    client, _, records = make()
    events = list(client.messages.create(stream=True, **kwargs(anthropic_body(1))))
    assert events[0].type == "message_start" and events[-1].type == "message_stop"
    assert records[-1]["usage"] == EXPECTED_USAGE
    client.beta.messages.create(betas=["context-management-2025-06-27"], **kwargs(grow(anthropic_body(1))))
    assert records[-1]["op"] == "beta.messages.create" and records[-1]["drift"] is None


def test_drift_warns_by_default(caplog):
    client, _, records = make()
    body = anthropic_body(1)
    client.messages.create(**kwargs(body))
    changed = grow(body)
    changed["system"][0]["text"] += " It is 10:46."
    with caplog.at_level(logging.WARNING, logger="cachelint"):
        client.messages.create(**kwargs(changed))
    assert records[-1]["drift"]["where"] == "system[0]"
    assert any("first change: system[0]" in r.getMessage() for r in caplog.records)


def test_raise_mode_raises_before_sending():
    client, recorder, _ = make(on_drift="raise")
    body = anthropic_body(1)
    client.messages.create(**kwargs(body))
    changed = grow(body)
    changed["tools"][1]["description"] = "Fetch a URL (v2)"
    with pytest.raises(cachelint.PrefixDriftError) as err:
        client.messages.create(**kwargs(changed))
    assert (err.value.segment, err.value.index, err.value.reason) == ('tools[1] ("fetch_url")', 2, 'tools[1] ("fetch_url") description')
    assert len(recorder.bodies) == 1  # the drifted request was never sent


def test_async_client_create_and_stream():
    async def main():
        client, _, records = make(async_=True)
        body = anthropic_body(1)
        message = await client.messages.create(**kwargs(body))
        assert message.usage.cache_read_input_tokens == 2000
        async with client.messages.stream(**kwargs(grow(body))) as stream:
            text = "".join([t async for t in stream.text_stream])
        return text, records

    text, records = asyncio.run(main())
    assert text == "Hello"
    assert [r["usage"] for r in records] == [EXPECTED_USAGE, EXPECTED_USAGE]
    assert records[1]["conversation"] == records[0]["conversation"] and records[1]["turn"] == 2


def test_async_raise_mode():
    async def main():
        client, recorder, _ = make(async_=True, on_drift="raise")
        body = anthropic_body(1)
        await client.messages.create(**kwargs(body))
        changed = grow(body)
        changed["model"] = "claude-opus-4-5"
        with pytest.raises(cachelint.PrefixDriftError) as err:
            await client.messages.create(**kwargs(changed))
        return err.value, recorder

    error, recorder = asyncio.run(main())
    assert error.segment == "param model" and len(recorder.bodies) == 1


def test_http_errors_reach_the_caller_unchanged_and_are_logged():
    client, _, records = make(Recorder(status=400))
    with pytest.raises(anthropic.BadRequestError):
        client.messages.create(**kwargs(anthropic_body(1)))
    assert records[-1]["error"] == "HTTP 400" and records[-1]["usage"] is None


def test_internal_errors_never_reach_the_caller(monkeypatch, caplog):
    client, recorder, records = make()

    def broken(*args, **kwargs):
        raise RuntimeError("bug in cachelint")

    monkeypatch.setattr(PrefixTracker, "begin", broken)
    with caplog.at_level(logging.ERROR, logger="cachelint"):
        message = client.messages.create(**kwargs(anthropic_body(1)))
    assert message.content[0].text == "Hello" and len(recorder.bodies) == 1
    assert "unwatched" in caplog.text


def test_broken_usage_and_broken_log_never_reach_the_caller(caplog):
    def garbage(request):
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=ChunkStream([b"data: {not json usage\n\n", *Recorder()(request).stream.chunks]))

    def broken_log(record):
        raise OSError("disk full")

    client = cachelint.watch(
        anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(garbage))),
        log=broken_log,
        tracker=PrefixTracker(),
    )
    body = anthropic_body(1)
    body["stream"] = True
    with caplog.at_level(logging.ERROR, logger="cachelint"):
        events = list(client.messages.create(**body))
    assert events[-1].type == "message_stop"
    assert "cannot write the log line" in caplog.text


def test_conversation_argument_and_context():
    client, _, records = make(conversation="default-key")
    body = anthropic_body(1)
    client.messages.create(**kwargs(body))
    with cachelint.conversation("ticket-1"):
        client.messages.create(**kwargs(body))
    assert [r["conversation"] for r in records] == ["default-key", "ticket-1"]


def test_anthropic_bedrock_client_and_its_event_stream():
    def bedrock(request):
        if request.url.path.endswith("invoke-with-response-stream"):
            frames = []
            for payload in [
                {"type": "message_start", "message": {**anthropic_message("claude"), "content": [], "usage": ANTHROPIC_USAGE}},
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
                {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
                {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 9}},
                {"type": "message_stop"},
            ]:
                frames.append(event_frame("chunk", {"bytes": base64.b64encode(json.dumps(payload).encode()).decode()}))
            return httpx2.Response(200, headers={"content-type": "application/vnd.amazon.eventstream"}, stream=ChunkStream(frames))
        return httpx2.Response(200, json=anthropic_message("claude"))

    records: list = []
    raw = anthropic.AnthropicBedrock(
        aws_access_key="a", aws_secret_key="b", aws_region="us-east-1", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(bedrock))
    )
    client = cachelint.watch(raw, log=records.append, tracker=PrefixTracker())
    body = anthropic_body(1)
    body["model"] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    client.messages.create(**body)
    assert records[-1]["provider"] == "bedrock" and records[-1]["usage"] == EXPECTED_USAGE
    with client.messages.stream(**grow(body)) as stream:
        assert "".join(stream.text_stream) == "Hi"
    assert records[-1]["usage"] == EXPECTED_USAGE and records[-1]["drift"] is None


@pytest.mark.parametrize("platform", ["bedrock", "vertex"])
def test_platform_clients_are_fingerprinted_as_anthropic_messages(platform):
    """Middleware sees the SDK's Messages body on every platform (Bedrock and Vertex reshape it
    only afterwards): its tools and model are segments, so a changed tool is drift there too."""
    transport = httpx2.MockTransport(Recorder())
    if platform == "bedrock":
        raw = anthropic.AnthropicBedrock(aws_access_key="a", aws_secret_key="b", aws_region="us-east-1", http_client=anthropic.DefaultHttpxClient(transport=transport))
    else:
        raw = anthropic.AnthropicVertex(region="us-east5", project_id="p", access_token="t", http_client=anthropic.DefaultHttpxClient(transport=transport))
    records: list = []
    client = cachelint.watch(raw, log=records.append, tracker=PrefixTracker(), on_drift="ignore")
    body = anthropic_body(1)
    client.messages.create(**body)
    changed = grow(body)
    changed["tools"][1]["description"] = "Fetch a URL, following redirects"
    client.messages.create(**changed)
    assert records[-1]["api"] == "messages" and records[-1]["provider"] == platform
    assert records[-1]["drift"]["kind"] == "tool_changed" and records[-1]["drift"]["where"].startswith('tools[1] ("fetch_url")')


def test_anthropic_vertex_client():
    records: list = []
    raw = anthropic.AnthropicVertex(region="us-east5", project_id="p", access_token="t", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(Recorder())))
    client = cachelint.watch(raw, log=records.append, tracker=PrefixTracker())
    body = anthropic_body(1)
    body["model"] = "claude-sonnet-4-5@20250929"
    client.messages.create(**body)
    assert records[-1]["provider"] == "vertex" and records[-1]["usage"] == EXPECTED_USAGE


def test_retries_are_not_new_turns():
    calls = {"n": 0}
    inner = Recorder()

    def flaky(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx2.Response(529, json={"type": "error", "error": {"type": "overloaded_error", "message": "busy"}})
        return inner(request)

    records: list = []
    raw = anthropic.Anthropic(api_key="k", max_retries=2, http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(flaky)))
    client = cachelint.watch(raw, log=records.append, tracker=PrefixTracker())
    client.with_options(timeout=5).messages.create(**anthropic_body(1))
    assert [(r["attempt"], r["turn"], r["error"]) for r in records] == [(0, 1, "HTTP 529"), (1, 1, None)]


def test_warn_mode_reads_the_sent_messages_instead_of_serializing_them(monkeypatch, caplog):
    """When drift cannot raise, a request is checked once sent, from the SDK's own bytes: the
    messages an earlier call had are not serialized again, and drift is still named."""
    from cachelint.runtime import segments

    lists: list[int] = []
    real = segments.dumps

    def spy(value):
        if type(value) is list and len(value) > 1 and all(type(m) is dict and "role" in m for m in value):
            lists.append(len(value))
        return real(value)

    monkeypatch.setattr(segments, "dumps", spy)
    monkeypatch.setattr(segments, "_RUNS", OrderedDict())  # no runs of other tests' messages
    client, recorder, records = make()
    body = anthropic_body(3, system="A system prompt of this test only. " * 30)
    client.messages.create(**kwargs(body))
    client.messages.create(**kwargs(body))
    grown = grow(body)
    client.messages.create(**kwargs(grown))
    changed = grow(grown)
    changed["messages"][1]["content"][0]["text"] = "edited"
    with caplog.at_level(logging.WARNING, logger="cachelint"):
        client.messages.create(**kwargs(changed))
    # Serialized here: the first call's list (nothing to continue) and the rewritten history's.
    assert lists == [3, 7]
    assert [r["turn"] for r in records] == [1, 2, 3, 4] and len(recorder.bodies) == 4
    assert [r["drift"] and r["drift"]["where"] for r in records] == [None, None, None, "messages[1] rewritten"]
    assert any("first change: messages[1] rewritten" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("on_drift", ["warn", "raise"])
def test_a_request_that_cannot_be_sent_is_still_recorded_with_its_drift(on_drift):
    """A connection failure reaches the caller unchanged, in either mode; the call is recorded
    with the error, and its drift (found before sending in raise mode, after it otherwise)."""
    inner = Recorder()

    def failing(request):
        if len(inner.bodies) >= 1:
            raise httpx2.ConnectError("no route to host")
        return inner(request)

    client, _, records = make(failing, on_drift=on_drift)
    body = anthropic_body(1)
    client.messages.create(**kwargs(body))
    with pytest.raises(anthropic.APIConnectionError):
        client.messages.create(**kwargs(grow(body)))
    changed = grow(body)
    changed["system"][0]["text"] += " Today is Monday."
    expected = cachelint.PrefixDriftError if on_drift == "raise" else anthropic.APIConnectionError
    with pytest.raises(expected):
        client.messages.create(**kwargs(changed))
    assert [(r["turn"], r["error"]) for r in records] == [(1, None), (2, "APIConnectionError"), (3, "PrefixDriftError" if on_drift == "raise" else "APIConnectionError")]
    assert records[1]["drift"] is None and records[2]["drift"]["where"] == "system[0]"


def test_async_warn_mode_checks_after_sending_and_records_failures():
    inner = Recorder()

    def failing(request):
        if len(inner.bodies) >= 2:
            raise httpx2.ConnectError("no route to host")
        return inner(request)

    async def main():
        client, _, records = make(failing, async_=True)
        body = anthropic_body(1)
        await client.messages.create(**kwargs(body))
        changed = grow(body)
        changed["tools"][1]["description"] = "Fetch a URL (v2)"
        await client.messages.create(**kwargs(changed))
        with pytest.raises(anthropic.APIConnectionError):
            await client.messages.create(**kwargs(grow(changed)))
        return records

    records = asyncio.run(main())
    assert [(r["turn"], r["error"], r["drift"] and r["drift"]["where"]) for r in records] == [
        (1, None, None),
        (2, None, 'tools[1] ("fetch_url") description'),
        (3, "APIConnectionError", None),
    ]


def test_a_retried_request_is_one_call_and_one_retry():
    answers = iter([500, 200])
    recorder = Recorder()

    def flaky(request: httpx2.Request) -> httpx2.Response:
        status = next(answers)
        if status != 200:
            return httpx2.Response(status, headers={"retry-after-ms": "0"}, json={"type": "error", "error": {"type": "api_error", "message": "oops"}})
        return recorder(request)

    tracker = PrefixTracker()
    client = anthropic.Anthropic(api_key="k", max_retries=1, http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(flaky)))
    watched = cachelint.watch(client, tracker=tracker, conversation="c")
    watched.messages.create(**kwargs(anthropic_body(1)))
    stats = tracker.stats("c")[0]
    assert (stats.calls, stats.retries, stats.errors) == (1, 1, 1)
