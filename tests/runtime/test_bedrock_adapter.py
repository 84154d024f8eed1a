"""A real boto3 bedrock-runtime client, watched in place through botocore events; responses come
from a before-send handler (no network)."""

from __future__ import annotations

import json

import pytest

import cachelint
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.fakes import bedrock_client

MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
SYSTEM = [{"text": "You triage support tickets. " * 200}, {"cachePoint": {"type": "default"}}]
CONVERSE_USAGE = {"uncached": 20, "read": 1000, "write_5m": 0, "write_1h": 500, "output": 4}


def turn(n: int) -> list:
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": [{"text": f"turn {i}"}]} for i in range(n)]


def watched(monkeypatch, **kwargs):
    client, sent = bedrock_client(monkeypatch, status=kwargs.pop("status", 200))
    records: list = []
    assert cachelint.watch(client, log=records.append, tracker=PrefixTracker(), **kwargs) is client
    return client, sent, records


def test_converse_and_converse_stream(monkeypatch):
    client, _, records = watched(monkeypatch)
    reply = client.converse(modelId=MODEL, system=SYSTEM, messages=turn(1))
    assert reply["output"]["message"]["content"][0]["text"] == "Hi"
    assert records[-1]["usage"] == CONVERSE_USAGE and records[-1]["op"] == "converse"
    stream = client.converse_stream(modelId=MODEL, system=SYSTEM, messages=turn(3))
    kinds = [next(iter(event)) for event in stream["stream"]]
    assert kinds == ["messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]
    assert records[-1]["usage"] == CONVERSE_USAGE and records[-1]["drift"] is None and records[-1]["turn"] == 2


def test_invoke_model_usage_from_headers_leaves_the_body_unread(monkeypatch):
    client, _, records = watched(monkeypatch)
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 5, "system": "s" * 5000, "messages": [{"role": "user", "content": "q"}]}
    reply = client.invoke_model(modelId=MODEL, body=json.dumps(body))
    assert json.loads(reply["body"].read())["usage"]["cache_read_input_tokens"] == 1200
    assert records[-1]["usage"] == {"uncached": 15, "read": 1200, "write_5m": 0, "write_1h": 0, "output": 3}
    assert records[-1]["api"] == "messages" and records[-1]["model"] == MODEL


INVOKE_BODY = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 5, "system": "You triage tickets. " * 300, "messages": [{"role": "user", "content": "q"}]}


def test_invoke_model_with_response_stream_reads_usage_as_the_caller_iterates(monkeypatch):
    client, sent, records = watched(monkeypatch, on_drift="ignore")
    reply = client.invoke_model_with_response_stream(modelId=MODEL, body=json.dumps(INVOKE_BODY))
    assert records == []  # the usage comes at the end of the stream
    events = [json.loads(event["chunk"]["bytes"]) for event in reply["body"]]
    assert [e["type"] for e in events] == ["message_start", "content_block_start", "content_block_delta", "message_delta", "message_stop"]
    assert events[2]["delta"]["text"] == "Hi"
    assert records[-1]["usage"] == {"uncached": 15, "read": 1200, "write_5m": 0, "write_1h": 0, "output": 3}
    assert (records[-1]["op"], records[-1]["api"], records[-1]["model"]) == ("invoke_model_with_response_stream", "messages", MODEL)
    changed = {**INVOKE_BODY, "system": INVOKE_BODY["system"] + "Now: 10:46.", "messages": [*INVOKE_BODY["messages"], {"role": "assistant", "content": "a"}]}
    for _ in client.invoke_model_with_response_stream(modelId=MODEL, body=json.dumps(changed))["body"]:
        pass
    assert records[-1]["drift"]["where"] == "system[0]" and records[-1]["turn"] == 2 and len(sent) == 2


def test_invoke_model_with_response_stream_of_another_model_and_an_early_close(monkeypatch):
    """Usage only in Bedrock's invocation metrics; a stream closed before its end still closes
    the call, once."""
    client, _, records = watched(monkeypatch)
    body = json.dumps({"prompt": "Summarize the ticket.", "max_gen_len": 5})
    chunks = [json.loads(e["chunk"]["bytes"]) for e in client.invoke_model_with_response_stream(modelId="meta.llama3-8b-instruct-v1:0", body=body)["body"]]
    assert chunks[0]["generation"] == "Hi"
    assert records[-1]["usage"] == {"uncached": 15, "read": 1200, "write_5m": 0, "write_1h": 0, "output": 3}
    stream = client.invoke_model_with_response_stream(modelId=MODEL, body=json.dumps(INVOKE_BODY))["body"]
    stream.close()
    assert len(records) == 2 and records[-1]["usage"] is None


def test_drift_raise_mode_sends_nothing(monkeypatch):
    client, sent, records = watched(monkeypatch, on_drift="raise")
    client.converse(modelId=MODEL, system=SYSTEM, messages=turn(1))
    changed = [{"text": SYSTEM[0]["text"] + " Now: 10:46."}, SYSTEM[1]]
    with pytest.raises(cachelint.PrefixDriftError) as err:
        client.converse(modelId=MODEL, system=changed, messages=turn(3))
    assert err.value.segment == "system[0]" and len(sent) == 1
    assert records[-1]["error"] == "PrefixDriftError"


def test_tool_drift_is_named_by_tool(monkeypatch):
    client, _, records = watched(monkeypatch, on_drift="ignore")
    tools = {"tools": [{"toolSpec": {"name": "lookup", "description": "Look up a ticket", "inputSchema": {"json": {"type": "object"}}}}]}
    client.converse(modelId=MODEL, system=SYSTEM, toolConfig=tools, messages=turn(1))
    tools["tools"][0]["toolSpec"]["description"] = "Look up a ticket by id"
    client.converse(modelId=MODEL, system=SYSTEM, toolConfig=tools, messages=turn(3))
    assert records[-1]["drift"]["where"] == 'toolConfig.tools[0] ("lookup") description'


def test_errors_are_recorded_and_reach_the_caller_unchanged(monkeypatch):
    client, _, records = watched(monkeypatch, status=400)
    with pytest.raises(client.exceptions.ValidationException):
        client.converse(modelId=MODEL, system=SYSTEM, messages=turn(1))
    assert records[-1]["error"] is not None and records[-1]["usage"] is None


def test_internal_errors_never_reach_the_caller(monkeypatch):
    client, sent, _ = watched(monkeypatch)

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(PrefixTracker, "begin", broken)
    assert client.converse(modelId=MODEL, system=SYSTEM, messages=turn(1))["stopReason"] == "end_turn"
    assert len(sent) == 1


def test_watching_twice_registers_once(monkeypatch):
    client, _, records = watched(monkeypatch)
    cachelint.watch(client, log=records.append, tracker=PrefixTracker())
    client.converse(modelId=MODEL, system=SYSTEM, messages=turn(1))
    assert len(records) == 1
