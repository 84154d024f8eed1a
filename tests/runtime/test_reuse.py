"""Fingerprints built from cached sections and earlier message runs equal fingerprints built cold.

`fingerprint()` copies the processed form of a repeated tool list and of the messages an earlier
request already had (segments.py). Whatever sequence of requests came before, the result must be
exactly what a first-ever fingerprint of the same body gives: same hashes, chains, labels, sizes,
breakpoints, chunk hashes and kept text.
"""

from __future__ import annotations

import copy
import json
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


def as_sent(body: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """`body` in the anthropic SDK's key order (`max_tokens, messages, model, ...`) and the bytes
    the SDK sends for it (stdlib json, compact, non-ASCII kept)."""
    ordered = {"max_tokens": 1024, "messages": body["messages"], **{k: v for k, v in body.items() if k != "messages"}}
    return ordered, json.dumps(ordered, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


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
    sent=st.booleans(),
)
def test_any_history_fingerprints_like_a_cold_start(monkeypatch, steps, shape, chat, keep_text, start, long_system, sent):
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
        wire = None
        if sent and not chat:  # the anthropic adapter passes the bytes the SDK sent, when it has them
            body, wire = as_sent(body)
        warm = fingerprint(body, keep_text=keep_text, sent=wire)
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


@pytest.fixture
def list_dumps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the lists of at least two messages that fingerprint() serializes itself."""
    seen: list[int] = []
    real = segments.dumps

    def spy(value: Any) -> bytes:
        if type(value) is list and len(value) > 1 and all(type(m) is dict and "role" in m for m in value):
            seen.append(len(value))
        return real(value)

    monkeypatch.setattr(segments, "dumps", spy)
    monkeypatch.setattr(segments, "_RUNS", OrderedDict())
    return seen


def test_messages_already_sent_are_read_from_the_sent_bytes(found: list[int], list_dumps: list[int], monkeypatch):
    """Given the bytes the SDK sent, a repeated or grown request does not serialize its message
    list again: the earlier messages are recognized in those bytes, the new ones checked there."""
    messages = [message(i) for i in range(20)] + [message(20, marker=True)]
    first, first_sent = as_sent(body_of(3, "Be brief. Être précis.", messages, chat=False))
    fingerprint(first, sent=first_sent)  # cold: nothing to continue, the list is serialized here
    again, again_sent = as_sent(copy.deepcopy(first))
    fingerprint(again, sent=again_sent)
    grown = copy.deepcopy(first)
    grown["messages"][-1] = message(20)
    grown["messages"] += [message(21), message(22, marker=True)]
    grown, grown_sent = as_sent(grown)
    fp = fingerprint(grown, sent=grown_sent)
    assert found == [0, 21, 20] and list_dumps == [21]
    assert fp == cold(grown, monkeypatch)


def test_sent_bytes_that_are_not_the_body_serialized_here_are_not_used(found: list[int], list_dumps: list[int], monkeypatch):
    """A new message whose bytes differ from cachelint's serialization (stdlib json writes 1e-7 as
    1e-07, orjson as 1e-7), and bytes of another body shape (Bedrock adds keys first): the message
    list is then serialized here, and the fingerprint is the one without `sent`."""
    messages = [message(0), message(1), message(2, marker=True)]
    first, first_sent = as_sent(body_of(2, "Be brief.", messages, chat=False))
    fingerprint(first, sent=first_sent)
    grown = copy.deepcopy(first)
    grown["messages"] += [{"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "n", "input": {"x": 1e-7}}]}]
    grown, grown_sent = as_sent(grown)
    assert b"1e-07" in grown_sent
    reshaped = {"anthropic_version": "bedrock-2023-05-31", **grown}
    reshaped_sent = json.dumps(reshaped, ensure_ascii=False, separators=(",", ":")).encode()
    # Bytes of another history: its first messages are not this one's, so they are not copied.
    other = copy.deepcopy(grown)
    other["messages"][1]["content"][0]["text"] = "rewritten"
    _, other_sent = as_sent(other)
    warm = [fingerprint(grown, sent=wire) for wire in (grown_sent, reshaped_sent, other_sent)]
    # Each found the earlier messages (in the sent bytes first where it could), and serialized
    # its list here.
    assert found == [0, 3, 3, 4, 0, 4] and list_dumps == [3, 4, 4, 4]
    assert warm == [cold(grown, monkeypatch)] * 3
