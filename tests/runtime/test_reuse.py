"""Fingerprints built from cached sections and earlier message runs equal fingerprints built cold.

`fingerprint()` copies the processed form of a repeated tool list and of the messages an earlier
request already had (segments.py). Whatever sequence of requests came before, the result must be
exactly what a first-ever fingerprint of the same body gives: same hashes, chains, labels, sizes,
breakpoints, chunk hashes and kept text.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cachelint.runtime import segments
from cachelint.runtime.segments import fingerprint


def cold(body: dict[str, Any], monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> segments.Fingerprint:
    """The fingerprint of `body` with empty caches (the caches are restored afterwards)."""
    with monkeypatch.context() as m:
        m.setattr(segments, "_SECTIONS", {})
        m.setattr(segments, "_HEADS", {})
        m.setattr(segments, "_RUNS", OrderedDict())
        return fingerprint(body, **kwargs)


def message(i: int, *, marker: bool = False, shape: str = "blocks") -> dict[str, Any]:
    role = "user" if i % 2 == 0 else "assistant"
    if shape == "text":
        return {"role": role, "content": f"plain turn {i}"}
    if shape == "named":
        return {"role": role, "name": f"agent{i % 3}", "content": [{"type": "text", "text": f"named turn {i}"}]}
    if shape == "tool_result":
        inner = {"type": "text", "text": f"result {i} " * 30}
        if marker:
            inner["cache_control"] = {"type": "ephemeral"}
        return {"role": "user", "content": [{"type": "tool_result", "tool_use_id": f"t{i}", "content": [inner]}]}
    block: dict[str, Any] = {"type": "text", "text": f"turn {i} " * (5 + i % 7 * 150)}  # some above 4 KiB
    if marker:
        block["cache_control"] = {"type": "ephemeral", "ttl": "1h"} if i % 5 == 0 else {"type": "ephemeral"}
    return {"role": role, "content": [block]}


def body_of(n_tools: int, system: str, messages: list[dict[str, Any]], *, chat: bool) -> dict[str, Any]:
    tools = [{"name": f"tool_{t}", "description": f"does thing {t}", "input_schema": {"type": "object"}} for t in range(n_tools)]
    if tools:
        tools[-1]["cache_control"] = {"type": "ephemeral"}
    if chat:
        return {
            "model": "gpt-5.6",
            "tools": [{"type": "function", "function": {"name": t["name"], "parameters": {}}} for t in tools],
            "messages": [{"role": "system", "content": system}, *messages],
        }
    return {"model": "claude-sonnet-4-5", "tools": tools, "system": [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}], "messages": messages}


# One step of a conversation's life: grow (the breakpoint moves to the newest message), rewrite an
# old message, drop the oldest, rewind, or change the head.
steps = st.lists(
    st.tuples(st.sampled_from(["grow", "grow", "grow", "rewrite", "drop_front", "rewind", "system", "tools", "same"]), st.integers(0, 50)),
    min_size=1,
    max_size=7,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=steps,
    shape=st.sampled_from(["blocks", "text", "named", "tool_result"]),
    chat=st.booleans(),
    keep_text=st.booleans(),
    start=st.integers(1, 6),
    long_system=st.booleans(),
)
def test_any_history_fingerprints_like_a_cold_start(monkeypatch, steps, shape, chat, keep_text, start, long_system):
    # A long system prompt is recognized by the identity of its string while it stays the same
    # object (segments._BIG_TEXT); a changed one is a new object.
    n_tools, system = 3, "You are helpful. " * (400 if long_system else 40)
    messages = [message(i, shape=shape if i % 3 == 1 else "blocks") for i in range(start)]
    messages[-1] = message(start - 1, marker=True)
    for op, arg in steps:
        if op == "grow":
            messages[-1] = message(len(messages) - 1)
            messages += [message(len(messages), shape=shape), message(len(messages) + 1, marker=True)]
        elif op == "rewrite" and messages:
            i = arg % len(messages)
            messages[i] = {"role": messages[i]["role"], "content": f"rewritten {arg}"}
        elif op == "drop_front" and len(messages) > 1:
            messages = messages[1:]
        elif op == "rewind" and len(messages) > 1:
            messages = messages[: 1 + arg % (len(messages) - 1)]
        elif op == "system":
            system += f" Rule {arg}."
        elif op == "tools":
            n_tools = 1 + arg % 5
        body = body_of(n_tools, system, copy.deepcopy(messages), chat=chat)
        warm = fingerprint(body, keep_text=keep_text)
        assert warm == cold(body, monkeypatch, keep_text=keep_text)


@pytest.fixture
def found(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many earlier messages each fingerprint copied from a previous request, call by call
    (with no runs remembered from other tests)."""
    copied: list[int] = []
    real = segments._find_run

    def spy(key, raw, keep_text):
        run, k, hasher = real(key, raw, keep_text)
        copied.append(k)
        return run, k, hasher

    monkeypatch.setattr(segments, "_find_run", spy)
    monkeypatch.setattr(segments, "_RUNS", OrderedDict())
    return copied


def test_growth_copies_the_previous_messages(found: list[int], monkeypatch):
    """The cases the copying is for really copy: a repeat, and growth with a moved breakpoint."""
    messages = [message(i) for i in range(30)] + [message(30, marker=True)]
    body = body_of(4, "Be brief.", messages, chat=False)
    fingerprint(body)
    fingerprint(copy.deepcopy(body))
    grown = copy.deepcopy(body)
    grown["messages"][-1] = message(30)
    grown["messages"] += [message(31), message(32, marker=True)]
    fp = fingerprint(grown)
    again = copy.deepcopy(grown)
    again["messages"][-1] = message(32)
    again["messages"] += [message(33), message(34, marker=True)]
    fingerprint(again)
    # Cold, then all 31 messages again, then the ones before the message that lost its breakpoint.
    assert found == [0, 31, 30, 32]
    assert fp == cold(grown, monkeypatch)
    assert [fp.label(bp.segment) for bp in fp.breakpoints] == ['tools[3] ("tool_3")', "system[0]", "messages[32]"]


def test_same_bytes_from_a_different_conversation_are_not_confused(monkeypatch):
    """Two conversations opening with the same message share a cache key; each still gets its own
    history, whichever was fingerprinted last."""
    a = [message(0), message(1, shape="text"), message(2, marker=True)]
    b = [message(0), {"role": "assistant", "content": "another answer"}, message(2, marker=True)]
    for _ in range(2):
        for history in (a, b):
            history[-1] = message(len(history) - 1)
            history += [message(len(history)), message(len(history) + 1, marker=True)]
            body = body_of(2, "Same system.", copy.deepcopy(history), chat=False)
            assert fingerprint(body) == cold(body, monkeypatch)


def test_a_value_orjson_refuses_is_still_fingerprinted(monkeypatch):
    """Integers beyond 64 bits pass the SDKs' stdlib json; cachelint falls back to it too."""
    messages = [message(0), {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "n", "input": {"n": 2**70}}]}, message(2, marker=True)]
    body = body_of(1, "s", messages, chat=False)
    fp = fingerprint(body)
    assert fp == cold(body, monkeypatch)
    changed = copy.deepcopy(body)
    changed["messages"][1]["content"][0]["input"]["n"] = 2**70 + 1
    assert fingerprint(changed).hashes[fp.msg_start + 1] != fp.hashes[fp.msg_start + 1]


def test_a_cache_point_ahead_of_the_first_tool_stays_where_it_was(monkeypatch):
    """Bedrock lets a cachePoint open the tool list; it then marks whatever came before, so the
    same tool list after a modelId parameter or at the very start marks different segments."""
    tools = [{"cachePoint": {"type": "default"}}, {"toolSpec": {"name": "lookup", "inputSchema": {"json": {}}}}]
    messages = [{"role": "user", "content": [{"text": "hi"}]}, {"role": "assistant", "content": [{"text": "hello"}]}]
    with_model = {"modelId": "anthropic.claude-sonnet-4-5-v1:0", "toolConfig": {"tools": tools}, "messages": messages}
    without_model = {"toolConfig": {"tools": tools}, "messages": messages}
    for body in (with_model, without_model, with_model):
        assert fingerprint(body) == cold(body, monkeypatch)


def test_the_serializer_falls_back_for_what_orjson_refuses():
    from cachelint.runtime.serialize import dumps

    assert dumps({1: "a", "b": "é"}) == '{"1":"a","b":"é"}'.encode()  # keys that are not strings
    assert dumps({1: "a", "n": 2**70}) == b'{"1":"a","n":1180591620717411303424}'  # and a big integer
    deep: list = []
    inner = deep
    for _ in range(300):  # beyond orjson's 254 levels
        inner.append([])
        inner = inner[0]
    assert dumps(deep) == b"[" * 301 + b"]" * 301


def test_a_long_system_prompt_is_recognized_by_identity_and_by_content(monkeypatch):
    """The same string object, an equal new string, and a changed one: each fingerprints like a
    cold start, and the equal new string still finds the cached head by its content."""
    prompt = "Be careful. " * 1000
    messages = [message(0), message(1), message(2, marker=True)]
    bodies = [
        body_of(2, prompt, copy.deepcopy(messages), chat=False),
        body_of(2, prompt, copy.deepcopy(messages), chat=False),  # the same object
        body_of(2, "".join(["Be careful. "] * 1000), copy.deepcopy(messages), chat=False),  # equal, not the same
        body_of(2, prompt[:-1] + "!", copy.deepcopy(messages), chat=False),  # changed
        body_of(2, prompt, copy.deepcopy(messages), chat=False),
    ]
    assert bodies[2]["system"][0]["text"] == prompt and bodies[2]["system"][0]["text"] is not prompt
    for body in bodies:
        assert fingerprint(body) == cold(body, monkeypatch)
    hashes = [fingerprint(b).hashes for b in bodies]
    assert hashes[0] == hashes[1] == hashes[2] == hashes[4] != hashes[3]


def test_chats_sharing_a_system_prompt_each_keep_their_run(found: list[int], monkeypatch):
    """OpenAI chats of one app open with the same system message; runs are found by the first
    message after it, so more conversations than runs per key still copy their history."""
    histories = [[{"role": "user", "content": f"conversation {c} opens"}, {"role": "assistant", "content": "ok"}] for c in range(segments._RUNS_PER_KEY + 2)]
    copied = []
    for _ in range(2):
        for history in histories:
            history += [{"role": "user", "content": f"more {len(history)}"}, {"role": "assistant", "content": "fine"}]
            body = body_of(2, "Shared system prompt. " * 50, copy.deepcopy(history), chat=True)
            warm = fingerprint(body)
            copied.append(found[-1])
            assert warm == cold(body, monkeypatch)
    # The first pass starts every conversation cold; the second copies each one's history (the
    # system message and all but the two new messages).
    assert copied == [0] * len(histories) + [len(h) - 1 for h in histories]
