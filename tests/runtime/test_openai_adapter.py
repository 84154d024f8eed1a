"""The real openai clients, watched in place, on httpx2 MockTransports."""

from __future__ import annotations

import asyncio
import copy
import logging

import httpx2
import openai
import pytest

import cachelint
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.fakes import Recorder

CHAT_USAGE = {"uncached": 252, "read": 2048, "write_5m": 0, "write_1h": 0, "output": 10}
RESP_USAGE = {"uncached": 476, "read": 1024, "write_5m": 0, "write_1h": 0, "output": 5}
MESSAGES = [{"role": "system", "content": "You answer tickets. " * 100}, {"role": "user", "content": "hi"}]


def make(*, async_=False, **watch_kwargs):
    recorder = Recorder("openai")
    records: list = []
    transport = httpx2.MockTransport(recorder)
    if async_:
        client = openai.AsyncOpenAI(api_key="k", max_retries=0, http_client=openai.DefaultAsyncHttpxClient(transport=transport))
    else:
        client = openai.OpenAI(api_key="k", max_retries=0, http_client=openai.DefaultHttpxClient(transport=transport))
    watched = cachelint.watch(client, log=records.append, tracker=PrefixTracker(), **watch_kwargs)
    assert watched is client  # in place
    return client, recorder, records


def test_chat_create_and_stream():
    client, _, records = make()
    reply = client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert reply.choices[0].message.content == "Hi"
    assert records[-1]["usage"] == CHAT_USAGE and records[-1]["api"] == "chat"
    chunks = list(client.chat.completions.create(model="gpt-4o", messages=MESSAGES + [{"role": "assistant", "content": "Hi"}], stream=True, stream_options={"include_usage": True}))
    assert chunks[0].choices[0].delta.content == "Hi"
    assert records[-1]["usage"] == CHAT_USAGE and records[-1]["drift"] is None and records[-1]["turn"] == 2


def test_responses_create_and_stream():
    client, _, records = make()
    assert client.responses.create(model="gpt-4o", instructions="Be brief.", input="hello").output_text == "Hi"
    assert records[-1]["usage"] == RESP_USAGE and records[-1]["api"] == "responses"
    events = [e.type for e in client.responses.create(model="gpt-4o", instructions="Be brief.", input="hello", stream=True)]
    assert events == ["response.created", "response.completed"]
    assert records[-1]["usage"] == RESP_USAGE


def test_drift_in_the_system_message_and_raise_mode():
    client, recorder, records = make(on_drift="raise")
    client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    changed = copy.deepcopy(MESSAGES)
    changed[0]["content"] += " Today is Monday."
    with pytest.raises(cachelint.PrefixDriftError) as err:
        client.chat.completions.create(model="gpt-4o", messages=changed + [{"role": "user", "content": "more"}])
    assert err.value.segment == "messages[0]" and err.value.reason == "messages[0] rewritten"
    assert len(recorder.bodies) == 1


def test_async_chat_and_stream():
    async def main():
        client, _, records = make(async_=True)
        await client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
        stream = await client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True, stream_options={"include_usage": True})
        async for _ in stream:
            pass
        return records

    records = asyncio.run(main())
    assert [r["usage"] for r in records] == [CHAT_USAGE, CHAT_USAGE]


def test_internal_errors_never_reach_the_caller(monkeypatch, caplog):
    client, recorder, _ = make()

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(PrefixTracker, "begin", broken)
    with caplog.at_level(logging.ERROR, logger="cachelint"):
        assert client.chat.completions.create(model="gpt-4o", messages=MESSAGES).choices[0].message.content == "Hi"
    assert len(recorder.bodies) == 1 and "unwatched" in caplog.text


def test_watching_twice_does_not_wrap_twice():
    client, recorder, records = make()
    cachelint.watch(client, log=records.append, tracker=PrefixTracker())
    client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert len(records) == 1
