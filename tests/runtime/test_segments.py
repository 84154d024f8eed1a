"""Segmentation of each provider's request shape, marker stripping, key order, chaining."""

from __future__ import annotations

import copy
import json

from cachelint.runtime.segments import detect_api, fingerprint
from tests.runtime.conftest import anthropic_body


def labels(fp):
    return [fp.label(i) for i in range(len(fp))]


def test_anthropic_segments_in_cache_order_with_params_at_their_level():
    body = anthropic_body(2)
    body["tool_choice"] = {"type": "auto"}
    body["speed"] = "fast"
    fp = fingerprint(body)
    assert labels(fp) == [
        "param model",
        'tools[0] ("search_docs")',
        'tools[1] ("fetch_url")',
        'tools[2] ("run_sql")',
        'tools[3] ("send_mail")',
        "param speed",
        "system[0]",
        "param tool_choice",
        "messages[0]",
        "messages[1]",
    ]
    assert fp.msg_start == 8 and fp.n_messages == 2
    # Sampling parameters do not key the cache.
    assert "param max_tokens" not in labels(fp)


def test_breakpoint_markers_are_not_content_but_are_recorded():
    a = anthropic_body(2)
    b = copy.deepcopy(a)
    del b["tools"][3]["cache_control"]
    b["messages"][1]["content"][0]["cache_control"] = {"type": "ephemeral", "ttl": "1h"}
    fa, fb = fingerprint(a), fingerprint(b)
    assert fa.chain == fb.chain
    assert [(fa.label(bp.segment), bp.ttl) for bp in fa.breakpoints] == [('tools[3] ("send_mail")', "default"), ("system[0]", "default")]
    assert [(fb.label(bp.segment), bp.ttl) for bp in fb.breakpoints] == [("system[0]", "default"), ("messages[1]", "1h")]


def test_key_order_is_significant():
    a = anthropic_body(1)
    b = copy.deepcopy(a)
    tool = b["tools"][0]
    b["tools"][0] = {"description": tool["description"], "name": tool["name"], "input_schema": tool["input_schema"]}
    assert fingerprint(a).hashes[1] != fingerprint(b).hashes[1]


def test_same_text_in_different_sections_hashes_differently():
    a = fingerprint({"model": "m", "system": "hello", "messages": []})
    b = fingerprint({"model": "m", "messages": [{"role": "user", "content": "hello"}]})
    assert a.hashes[1] != b.hashes[1]


def test_bedrock_converse_shape_and_cache_points():
    body = {
        "modelId": "anthropic.claude-sonnet-4-5-v1:0",
        "toolConfig": {"tools": [{"toolSpec": {"name": "lookup", "description": "d", "inputSchema": {"json": {}}}}, {"cachePoint": {"type": "default"}}], "toolChoice": {"auto": {}}},
        "system": [{"text": "Be brief."}, {"cachePoint": {"type": "default", "ttl": "1h"}}],
        "messages": [{"role": "user", "content": [{"text": "hi"}, {"cachePoint": {"type": "default"}}]}],
        "inferenceConfig": {"maxTokens": 10},
    }
    fp = fingerprint(body)
    assert (fp.provider, fp.api, fp.model) == ("bedrock", "converse", "anthropic.claude-sonnet-4-5-v1:0")
    assert labels(fp) == ["param modelId", 'toolConfig.tools[0] ("lookup")', "system[0]", "param toolChoice", "messages[0]"]
    assert [(fp.label(b.segment), b.ttl) for b in fp.breakpoints] == [('toolConfig.tools[0] ("lookup")', "default"), ("system[0]", "1h"), ("messages[0]", "default")]
    moved = copy.deepcopy(body)
    moved["system"] = [{"text": "Be brief."}]
    assert fingerprint(moved).chain == fp.chain


def test_bedrock_invoke_model_reads_the_json_body():
    inner = anthropic_body(1)
    inner.pop("model")
    inner["anthropic_version"] = "bedrock-2023-05-31"
    fp = fingerprint({"modelId": "anthropic.claude-haiku-4-5-v1:0", "body": json.dumps(inner)})
    assert (fp.provider, fp.api, fp.model) == ("bedrock", "messages", "anthropic.claude-haiku-4-5-v1:0")
    assert fp.label(fp.msg_start) == "messages[0]"
    assert fingerprint({"modelId": "anthropic.claude-haiku-4-5-v1:0", "body": inner}).chain[1:] == fp.chain[1:]


def test_openai_chat_and_responses_shapes():
    chat = {
        "model": "gpt-4o",
        "prompt_cache_key": "tenant-1",
        "tools": [{"type": "function", "function": {"name": "lookup", "description": "d", "parameters": {}}}],
        "messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "hi"}],
    }
    fp = fingerprint(chat)
    assert (fp.provider, fp.api) == ("openai", "chat")
    assert labels(fp) == ["param model", "param prompt_cache_key", 'tools[0] ("lookup")', "messages[0]", "messages[1]"]
    responses = {"model": "gpt-5.6", "instructions": "Be brief.", "input": [{"role": "user", "content": [{"type": "input_text", "text": "hi", "prompt_cache_breakpoint": {"mode": "explicit"}}]}]}
    fr = fingerprint(responses)
    assert (fr.provider, fr.api) == ("openai", "responses")
    assert labels(fr) == ["param model", "instructions[0]", "input[0]"]
    assert len(fr.breakpoints) == 1
    assert detect_api({"input": "hello", "model": "gpt-4o"}) == ("openai", "responses")


def test_no_text_is_kept_unless_asked():
    body = anthropic_body(2, system="SECRET-PASSWORD " * 400)
    fp = fingerprint(body)
    assert fp.texts is None
    assert "SECRET" not in repr(fp.__dict__)
    kept = fingerprint(body, keep_text=True)
    assert b"SECRET" in kept.texts[kept.indexes("system")[0]][0]


def test_unserializable_values_do_not_leak_memory_addresses():
    class Opaque:
        pass

    a = fingerprint({"model": "m", "messages": [{"role": "user", "content": [{"type": "x", "v": Opaque()}]}]})
    b = fingerprint({"model": "m", "messages": [{"role": "user", "content": [{"type": "x", "v": Opaque()}]}]})
    assert a.chain == b.chain
