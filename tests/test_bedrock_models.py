"""Model-specific Bedrock facts from `rules/providers.yaml`: Nova's `cachePoint` after a `toolResult`
(CL407) and OpenAI's GPT-5.6 served by Bedrock (CL408)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cachelint.providers import load_provider_facts, parse_provider_doc
from cachelint.yamlfile import DataError, load_yaml_text
from tests.test_breakpoints import structural, structural_found

NOVA = "us.amazon.nova-pro-v1:0"
CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
TOOL_TURN = """
    import boto3
    bedrock = boto3.client("bedrock-runtime")

    def tool_turn(messages, results, question):
        {build}
        return bedrock.converse(modelId={model}, messages=messages)
    """
RESULT = '{"toolResult": {"toolUseId": r.id, "content": [{"json": r.output}]}}'
POINT = '{"cachePoint": {"type": "default"}}'


def cl407(build: str, model: str = repr(NOVA)) -> list[int]:
    code = TOOL_TURN.format(build=build, model=model)
    return [row for row, c in structural_found(code) if c == "CL407"]


# CL407: Nova checkpoint right after a tool result --------------------------------------------
@pytest.mark.parametrize(
    "build",
    [
        f'messages.append({{"role": "user", "content": [{RESULT.replace("r.", "results[0].")}, {POINT}]}})',
        f'messages.append({{"role": "user", "content": [*[{RESULT} for r in results], {POINT}]}})',
        f'messages.append({{"role": "user", "content": [{RESULT} for r in results] + [{POINT}]}})',
        f'content = [{RESULT} for r in results]; content.append({POINT}); messages.append({{"role": "user", "content": content}})',
        f'content = []\n        for r in results:\n            content.append({RESULT})\n        content.append({POINT})\n        messages.append({{"role": "user", "content": content}})',
    ],
    ids=["literal", "starred", "concatenated", "appended", "appended-in-loop"],
)
def test_checkpoint_after_tool_result_for_nova(build: str) -> None:
    assert len(cl407(build)) == 1


@pytest.mark.parametrize(
    ("build", "model"),
    [
        # a text block between the tool results and the checkpoint
        (f'content = [{RESULT} for r in results]; content.append({{"text": question}}); content.append({POINT}); messages.append({{"role": "user", "content": content}})', repr(NOVA)),
        (f'messages.append({{"role": "user", "content": [*[{RESULT} for r in results], {{"text": question}}, {POINT}]}})', repr(NOVA)),
        # Claude accepts it there
        (f'messages.append({{"role": "user", "content": [*[{RESULT} for r in results], {POINT}]}})', repr(CLAUDE)),
        # the model is not known: no claim
        (f'messages.append({{"role": "user", "content": [*[{RESULT} for r in results], {POINT}]}})', "question"),
        # the list may end with anything
        (f'content = load(); content.append({POINT}); messages.append({{"role": "user", "content": content}})', repr(NOVA)),
    ],
    ids=["text-between", "text-between-literal", "claude", "unknown-model", "unknown-list"],
)
def test_look_alikes_are_not_reported(build: str, model: str) -> None:
    assert cl407(build, model) == []


def test_message_segment_source_and_sink() -> None:
    code = TOOL_TURN.format(build=f'messages.append({{"role": "user", "content": [*[{RESULT} for r in results], {POINT}]}})', model=repr(NOVA))
    [diag] = [d for d in structural(code) if d.code == "CL407"]
    assert diag.segment == "messages" and diag.severity == "high"
    assert "right after a `toolResult` block" in diag.message and NOVA in diag.message
    assert "https://github.com/BerriAI/litellm/issues/17479" in diag.message and "HTTP 400" in diag.message
    assert diag.related and "converse" in diag.related[0].message


def test_models_of_every_request_in_the_module_must_reject_it() -> None:
    code = f"""
        import boto3
        bedrock = boto3.client("bedrock-runtime")

        def tool_content(results):
            return [*[{RESULT} for r in results], {POINT}]

        def nova(messages):
            return bedrock.converse(modelId="{NOVA}", messages=messages)

        def claude(messages):
            return bedrock.converse(modelId="{CLAUDE}", messages=messages)
        """
    assert [c for _, c in structural_found(code) if c == "CL407"] == []
    assert [c for _, c in structural_found(code.replace(CLAUDE, "us.amazon.nova-lite-v1:0")) if c == "CL407"] == ["CL407"]


def test_the_fact_is_data(tmp_path: Path) -> None:
    code = TOOL_TURN.format(build=f'messages.append({{"role": "user", "content": [*[{RESULT} for r in results], {POINT}]}})', model=repr(NOVA))
    mine = tmp_path / "providers.yaml"
    mine.write_text(
        "models:\n  - provider: bedrock\n    match: ['*nova*']\n    min-tokens: 1024\n    max-breakpoints: 4\n"
        "    cacheable-segments: [system, messages]\n    ttls: [5m]\n"
        "    price: {input: null, cache-read: 0.1, cache-write-5m: 1.0, cache-write-1h: 1.0}\n"
        "    source: https://example.com/nova\n    date: 2026-07-01\n"
    )
    assert [c for _, c in structural_found(code, load_provider_facts([mine])) if c == "CL407"] == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("cachepoint-not-after: [toolResult]", "must be a mapping with `blocks` and `source`"),
        ("cachepoint-not-after: {blocks: [toolResult], source: issue 17479}", "must be the URL of the evidence"),
        ("marker-blocks: input_text", "`marker-blocks` must be a list of block type names"),
    ],
)
def test_new_provider_keys_are_validated(entry: str, message: str) -> None:
    text = (
        "models:\n  - provider: bedrock\n    match: [x]\n    min-tokens: 1\n    max-breakpoints: 4\n"
        f"    {entry}\n    ttls: [5m]\n"
        "    price: {input: null, cache-read: 0.1, cache-write-5m: 1.0, cache-write-1h: 1.0}\n"
        "    source: https://example.com\n    date: 2026-01-01\n"
    )
    with pytest.raises(DataError, match=message):
        parse_provider_doc(load_yaml_text(text, "p.yaml"))


# CL408: OpenAI's GPT-5.6 on Bedrock ----------------------------------------------------------
INVOKE = """
    import json
    import boto3
    bedrock = boto3.client("bedrock-runtime")
    POLICY = open("policy.md").read()

    def answer(question):
        body = {{{body}}}
        return bedrock.invoke_model(modelId={model}, body=json.dumps(body))
    """
DEVELOPER = '{"role": "developer", "content": [{"type": "input_text", "text": POLICY, "prompt_cache_breakpoint": {"mode": "explicit"}}]}'
QUESTION = '{"role": "user", "content": [{"type": "input_text", "text": question}]}'


def gpt_findings(body: str, model: str = '"openai.gpt-5.6"'):
    return [d for d in structural(INVOKE.format(body=body, model=model)) if d.code.startswith("CL4")]


def test_ttl_is_bedrocks_thirty_minutes() -> None:
    [diag] = gpt_findings(f'"input": [{DEVELOPER}, {QUESTION}], "prompt_cache_options": {{"ttl": "1h"}}')
    assert diag.code == "CL408" and "'30m'" in diag.message and "docs.aws.amazon.com/bedrock" in diag.message
    assert gpt_findings(f'"input": [{DEVELOPER}, {QUESTION}], "prompt_cache_options": {{"ttl": "30m"}}') == []
    # also in a regional id
    assert len(gpt_findings(f'"input": [{DEVELOPER}], "prompt_cache_options": {{"ttl": "24h"}}', '"us.openai.gpt-5.6-v1:0"')) == 1


def test_marker_only_on_bedrocks_input_blocks() -> None:
    text_part = '{"role": "user", "content": [{"type": "text", "text": POLICY, "prompt_cache_breakpoint": {"mode": "explicit"}}]}'
    [diag] = gpt_findings(f'"input": [{text_part}, {QUESTION}]')
    assert diag.code == "CL408" and "on Bedrock only `input_text`, `input_image`, `input_file`" in diag.message
    assert diag.segment == "messages"
    # the same Chat Completions part is accepted by OpenAI's own API
    chat = """
        from openai import OpenAI
        client = OpenAI()
        POLICY = open("policy.md").read()

        def answer(question):
            return client.chat.completions.create(model="gpt-5.6", messages=[{"role": "system", "content": [{"type": "text", "text": POLICY, "prompt_cache_breakpoint": {"mode": "explicit"}}]}])
        """
    assert [d for d in structural(chat) if d.code == "CL408"] == []


def test_openai_option_rules_apply_to_the_bedrock_model() -> None:
    [instructions] = gpt_findings(f'"instructions": [{{"type": "input_text", "text": POLICY, "prompt_cache_breakpoint": {{"mode": "explicit"}}}}], "input": [{QUESTION}]')
    assert instructions.segment == "system"
    [both] = gpt_findings(f'"input": [{DEVELOPER}], "prompt_cache_retention": "24h", "prompt_cache_options": {{"ttl": "30m"}}')
    assert "together with `prompt_cache_options.ttl`" in both.message
    [explicit] = gpt_findings(f'"instructions": POLICY, "input": [{QUESTION}], "prompt_cache_options": {{"mode": "explicit"}}')
    assert explicit.severity == "medium"


def test_converse_with_the_gpt_model_gets_no_claude_advice() -> None:
    code = """
        import boto3
        bedrock = boto3.client("bedrock-runtime")
        POLICY = "Answer politely. " * 2000

        def serve(questions):
            for q in questions:
                bedrock.converse(modelId="openai.gpt-5.6", system=[{"text": POLICY}], messages=[{"role": "user", "content": [{"text": q}]}])
        """
    assert [d for d in structural(code) if d.code.startswith("CL4")] == []
    # the same loop on Claude is told to add a checkpoint
    assert "CL405" in {d.code for d in structural(code.replace("openai.gpt-5.6", CLAUDE))}


def test_openai_models_bedrock_does_not_list_are_left_alone() -> None:
    assert gpt_findings(f'"input": [{DEVELOPER}], "prompt_cache_options": {{"ttl": "1h"}}', '"openai.gpt-oss-120b-1:0"') == []
