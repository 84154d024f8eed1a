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
