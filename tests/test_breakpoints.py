"""CL4xx: breakpoint placement rules, run directly on parsed snippets and on the catalogue examples."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cachelint.catalogue import load_catalogue
from cachelint.checks.astutil import ModuleIndex
from cachelint.checks.breakpoints import breakpoint_diagnostics
from cachelint.checks.conversation import conversation_diagnostics
from cachelint.diagnostics import Diagnostic
from cachelint.engine import ModuleContext
from cachelint.engine.analyse import _analysis
from cachelint.engine.parse import parse
from cachelint.knowledge import load_knowledge
from cachelint.providers import ProviderFacts, load_provider_facts
from tests.helpers import expected

FAMILIES = ("CL4", "CL5")


def structural(code: str, filename: str = "snippet.py", providers: ProviderFacts | None = None) -> list[Diagnostic]:
    """CL4xx and CL5xx diagnostics of a dedented snippet (every rule of both families enabled)."""
    rules = {c: r for c, r in load_catalogue().by_code().items() if c.startswith(FAMILIES)}
    text = textwrap.dedent(code)
    module = parse(text)
    analysis = _analysis(module, text, load_knowledge(), ModuleContext())
    analysis.run()
    index = ModuleIndex(module, analysis)
    facts = providers or load_provider_facts()
    return breakpoint_diagnostics(index, rules, filename, facts) + conversation_diagnostics(index, rules, filename, facts)


def structural_found(code: str, providers: ProviderFacts | None = None) -> list[tuple[int, str]]:
    return sorted((d.location.row, d.code) for d in structural(code, providers=providers))


def catalogue_cases(prefix: str) -> list:
    return [
        pytest.param(rule.code, example, id=f"{rule.code}-{'valid' if example.valid else 'invalid'}-{i}")
        for rule in load_catalogue().rules
        if rule.code.startswith(prefix)
        for i, example in enumerate(rule.examples)
        if example.file.endswith(".py")  # config-file examples run in tests/test_configfiles.py
    ]


def check_example(code: str, example) -> None:
    family = code[:3]
    found = [f for f in structural_found(example.code) if f[1].startswith(family)]
    if example.valid:
        assert [f for f in found if f[1] == code] == []
    else:
        assert found == [w for w in expected(example.code) if w[1].startswith(family)]


@pytest.mark.parametrize(("code", "example"), catalogue_cases("CL4"))
def test_catalogue_example(code: str, example) -> None:
    check_example(code, example)


def test_breakpoint_on_question_names_segment_cost_and_sink() -> None:
    [diag] = structural(
        """
        import anthropic
        client = anthropic.Anthropic()

        def ask(question):
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=100, system=open("s.md").read(),
                messages=[{"role": "user", "content": [{"type": "text", "text": question, "cache_control": {"type": "ephemeral"}}]}],
            )
        """
    )
    assert diag.code == "CL401" and diag.segment == "messages" and diag.severity == "high"
    assert "`question`" in diag.message and "1.25x" in diag.message
    assert diag.related and diag.related[0].location.row == 6


def test_breakpoint_on_the_question_a_flask_handler_reads_from_its_request() -> None:
    [diag] = [d for d in structural(
        """
        import anthropic
        from flask import Flask, request
        app = Flask(__name__)
        client = anthropic.Anthropic()
        HANDBOOK = open("handbook.md").read()

        @app.post("/ask")
        def ask():
            question = request.json["question"]
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=700, system=[{"type": "text", "text": HANDBOOK}],
                messages=[{"role": "user", "content": [{"type": "text", "text": question, "cache_control": {"type": "ephemeral"}}]}],
            )
        """
    ) if d.code == "CL401"]
    assert "per-request `request` of flask" in diag.message


def test_shared_cachepoint_constant_is_reported_where_it_is_placed() -> None:
    found = structural_found(
        """
        import boto3
        bedrock = boto3.client("bedrock-runtime")
        CP = {"cachePoint": {"type": "default"}}
        TOOL = {"toolSpec": {"name": "quote", "description": "Quote.", "inputSchema": {"json": {"type": "object"}}}}

        def assess(application):
            return bedrock.converse(
                modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                toolConfig={"tools": [TOOL, CP]},
                system=[{"text": open("rules.md").read()}, CP],
                messages=[{"role": "user", "content": [{"text": application}]}],
            )
        """
    )
    assert (10, "CL404") in found and not [f for f in found if f[0] == 4]


def test_five_literal_breakpoints_counted_across_segments() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        BP = {"type": "ephemeral"}
        TOOLS = [{"name": "a", "description": "d", "input_schema": {}, "cache_control": BP}]

        def ask(q):
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=100, tools=TOOLS,
                system=[{"type": "text", "text": open("a").read(), "cache_control": BP}, {"type": "text", "text": open("b").read(), "cache_control": BP}],
                messages=[{"role": "user", "content": [{"type": "text", "text": open("c").read(), "cache_control": BP}]}, {"role": "user", "content": q}],
                cache_control=BP,
            )
        """
    )
    assert (8, "CL402") in found


def test_breakpoints_counted_in_a_history_plus_new_messages() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        BP = {"type": "ephemeral"}
        LONG = {"type": "ephemeral", "ttl": "1h"}
        TOOLS = [{"name": "a", "description": "d", "input_schema": {}, "cache_control": BP}]

        def five(history, q):
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=100, tools=TOOLS,
                system=[{"type": "text", "text": open("a").read(), "cache_control": BP}, {"type": "text", "text": open("b").read(), "cache_control": BP}],
                messages=history + [{"role": "user", "content": [{"type": "text", "text": open("c").read(), "cache_control": BP}]}, {"role": "user", "content": [{"type": "text", "text": q, "cache_control": BP}]}],
            )

        def long_after_short(history, q):
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=100,
                system=[{"type": "text", "text": open("a").read(), "cache_control": BP}],
                messages=history + [{"role": "user", "content": [{"type": "text", "text": q, "cache_control": LONG}]}],
            )
        """
    )
    assert (9, "CL402") in found
    assert [f for f in found if f[1] == "CL403"] == [(19, "CL403")]


def test_breakpoints_of_a_list_literal_that_later_gains_turns_are_counted() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        BP = {"type": "ephemeral"}

        def ask(q):
            messages = [
                {"role": "user", "content": [{"type": "text", "text": open("c").read(), "cache_control": BP}]},
                {"role": "assistant", "content": [{"type": "text", "text": open("d").read(), "cache_control": BP}]},
            ]
            messages.append({"role": "user", "content": q})
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=100,
                system=[{"type": "text", "text": open("a").read(), "cache_control": BP}, {"type": "text", "text": open("b").read(), "cache_control": BP}],
                messages=messages, cache_control=BP,
            )

        def popped(q):
            messages = [
                {"role": "user", "content": [{"type": "text", "text": open("c").read(), "cache_control": BP}]},
                {"role": "assistant", "content": [{"type": "text", "text": open("d").read(), "cache_control": BP}]},
            ]
            messages.pop(0)
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=100,
                system=[{"type": "text", "text": open("a").read(), "cache_control": BP}, {"type": "text", "text": open("b").read(), "cache_control": BP}],
                messages=messages, cache_control=BP,
            )
        """
    )
    assert [f for f in found if f[1] == "CL402"] == [(12, "CL402")]


MARKING_LOOP = """
import anthropic
client = anthropic.Anthropic()
BP = {"type": "ephemeral"}

def ask(messages):
    for message in messages:
%s
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=messages)
"""


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        # A condition that does not decide what is marked.
        ("""
        if not message["content"]:
            print("empty")
        message["content"][-1]["cache_control"] = BP""", True),
        # Conditions that pick which elements are marked.
        ("""
        if message is messages[-1]:
            message["content"][-1]["cache_control"] = BP""", False),
        ("""
        if message["role"] != "user":
            continue
        message["content"][-1]["cache_control"] = BP""", False),
    ],
)
def test_marking_loop_with_a_condition(body: str, reported: bool) -> None:
    found = structural_found(MARKING_LOOP % body.strip("\n"))
    assert any(code == "CL402" for _, code in found) is reported, found


def test_comprehension_that_marks_every_block() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def send(messages):
            last = dict(messages[-1])
            last["content"] = [{**block, "cache_control": {"type": "ephemeral"}} for block in messages[-1]["content"]]
            tail = [{**block, "cache_control": {"type": "ephemeral"}} for block in messages[-1]["content"][-1:]]
            return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=[*messages[:-1], last])
        """
    )
    assert [f for f in found if f[1] == "CL402"] == [(7, "CL402")]


def test_breakpoint_set_in_code_on_a_thinking_block() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def step(messages):
            resp = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=messages)
            blocks = [b.model_dump() for b in resp.content]
            for b in blocks:
                if b["type"] == "thinking":
                    b["cache_control"] = {"type": "ephemeral"}
                    break
            for b in blocks:
                if b.get("type") == "text":
                    b["cache_control"] = {"type": "ephemeral"}
                    break
            messages.append({"role": "assistant", "content": blocks})
        """
    )
    assert [f for f in found if f[1] == "CL406"] == [(10, "CL406")]


def test_breakpoint_on_a_date_fixed_at_import_is_not_per_request() -> None:
    found = structural_found(
        """
        from datetime import date, datetime
        import anthropic
        client = anthropic.Anthropic()
        TODAY = date.today().strftime("%A, %d %B %Y")
        SYSTEM = [{"type": "text", "text": open("rules.md").read()}, {"type": "text", "text": f"Today is {TODAY}.", "cache_control": {"type": "ephemeral"}}]

        def ask(q):
            return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, system=SYSTEM, messages=[{"role": "user", "content": q}])

        def ask_now(q):
            system = [{"type": "text", "text": f"It is {datetime.now()}.", "cache_control": {"type": "ephemeral"}}]
            return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, system=system, messages=[{"role": "user", "content": q}])
        """
    )
    assert [f for f in found if f[1] == "CL401"] == [(12, "CL401")]


def test_four_breakpoints_are_fine() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        BP = {"type": "ephemeral"}

        def ask(q):
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=100,
                system=[{"type": "text", "text": open("a").read(), "cache_control": BP}, {"type": "text", "text": open("b").read(), "cache_control": BP}],
                messages=[{"role": "user", "content": [{"type": "text", "text": open("c").read(), "cache_control": BP}]}, {"role": "user", "content": q}],
                cache_control=BP,
            )
        """
    )
    assert [f for f in found if f[1] == "CL402"] == []


def test_below_minimum_says_estimated_and_unknown_model_says_might() -> None:
    [diag] = [
        d
        for d in structural(
            """
            import anthropic
            client = anthropic.Anthropic()

            def ask(q):
                return client.messages.create(model="claude-next-9", max_tokens=10,
                    system=[{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}], messages=[{"role": "user", "content": q}])
            """
        )
        if d.code == "CL404"
    ]
    assert "estimated" in diag.message and "might be below" in diag.message


def test_missing_breakpoint_reports_money_from_providers_file() -> None:
    [diag] = [
        d
        for d in structural(
            """
            import anthropic
            client = anthropic.Anthropic()
            POLICY = "Answer using the refund policy; cite the section you used. " * 100

            def run(tickets):
                for t in tickets:
                    client.messages.create(model="claude-sonnet-4-5", max_tokens=10, system=POLICY, messages=[{"role": "user", "content": t}])
            """
        )
        if d.code == "CL405"
    ]
    assert diag.severity == "info" and "$3.00/MTok" in diag.message and "per call" in diag.message


def test_runtime_loaded_prefix_is_not_estimated() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def run(tickets, policy_path):
            policy = open(policy_path).read()
            for t in tickets:
                client.messages.create(model="claude-sonnet-4-5", max_tokens=10, system=policy, messages=[{"role": "user", "content": t}])
        """
    )
    assert found == []


def test_bedrock_one_hour_cachepoint_on_five_minute_model() -> None:
    found = structural_found(
        """
        import boto3
        bedrock = boto3.client("bedrock-runtime")

        def ask(q):
            return bedrock.converse(
                modelId="us.amazon.nova-lite-v1:0",
                system=[{"text": open("s").read()}, {"cachePoint": {"type": "default", "ttl": "1h"}}],
                messages=[{"role": "user", "content": [{"text": q}]}],
            )
        """
    )
    assert (8, "CL407") in found


def test_nova_tool_checkpoint_follows_the_cacheable_segments_data(tmp_path: Path) -> None:
    code = """
        import boto3
        bedrock = boto3.client("bedrock-runtime")

        def step(messages, tool_specs):
            return bedrock.converse(
                modelId="us.amazon.nova-pro-v1:0",
                toolConfig={"tools": [*tool_specs, {"cachePoint": {"type": "default"}}]},
                messages=messages,
            )
        """
    [diag] = [d for d in structural(code) if d.code == "CL407"]
    assert diag.segment == "tools" and "`system` and `messages`" in diag.message and "providers.yaml" in diag.message
    # A user entry that lets Nova cache tools (a later model generation, say) silences the finding: the fact is data.
    mine = tmp_path / "providers.yaml"
    mine.write_text(
        "models:\n"
        "  - provider: bedrock\n"
        '    match: ["*nova*"]\n'
        "    min-tokens: 1024\n"
        "    max-breakpoints: 4\n"
        "    cacheable-segments: [tools, system, messages]\n"
        "    ttls: [5m]\n"
        "    price: {input: null, cache-read: 0.1, cache-write-5m: 1.0, cache-write-1h: 1.0}\n"
        "    source: https://example.com/nova\n"
        "    date: 2026-07-01\n"
    )
    assert [f for f in structural_found(code, load_provider_facts([mine])) if f[1] == "CL407"] == []


def test_cacheable_segments_must_name_segments() -> None:
    from cachelint.yamlfile import DataError, load_yaml_text
    from cachelint.providers import parse_provider_doc

    text = (
        "models:\n  - provider: bedrock\n    match: [x]\n    min-tokens: 1\n    max-breakpoints: 4\n"
        "    cacheable-segments: [toolConfig]\n    ttls: [5m]\n"
        "    price: {input: null, cache-read: 0.1, cache-write-5m: 1.0, cache-write-1h: 1.0}\n"
        "    source: https://example.com\n    date: 2026-01-01\n"
    )
    with pytest.raises(DataError, match="`cacheable-segments` must be a list of tools, system, messages"):
        parse_provider_doc(load_yaml_text(text, "p.yaml"))


# CL401 ------------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        # a max_tokens=0 pre-warm writes the entry on purpose
        'client.messages.create(model="claude-sonnet-4-5", max_tokens=0, messages=[{"role": "user", "content": [{"type": "text", "text": doc, "cache_control": BP}]}])',
        # the parameter block is followed by the question: a deliberate split
        'client.messages.create(model="claude-sonnet-4-5", max_tokens=9, messages=[{"role": "user", "content": [{"type": "text", "text": doc, "cache_control": BP}, {"type": "text", "text": q}]}])',
        # the same parameter sent several times (best-of-n)
        '[client.messages.create(model="claude-sonnet-4-5", max_tokens=9, messages=[{"role": "user", "content": [{"type": "text", "text": doc, "cache_control": BP}]}]) for _ in range(3)]',
    ],
)
def test_parameter_breakpoints_that_later_calls_share(call: str) -> None:
    code = f"""
        import anthropic
        client = anthropic.Anthropic()
        BP = {{"type": "ephemeral"}}

        def ask(doc, q):
            return {call}
        """
    assert [f for f in structural_found(code) if f[1] == "CL401"] == []


def test_parameter_on_the_last_block_of_a_single_call_is_still_reported() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def ask(doc):
            return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, messages=[{"role": "user", "content": [{"type": "text", "text": doc, "cache_control": {"type": "ephemeral"}}]}])
        """
    )
    assert (6, "CL401") in found


# CL408 ------------------------------------------------------------------
OPENAI = """
    from openai import OpenAI
    client = OpenAI()
    POLICY = open("policy.md").read()

    def answer(items):
        return client.responses.create({args})
    """


def openai_findings(args: str) -> list[Diagnostic]:
    return [d for d in structural(OPENAI.format(args=args)) if d.code == "CL408"]


def test_retention_with_options_ttl_is_rejected_also_through_extra_body() -> None:
    [diag] = openai_findings('model="gpt-5.6", input=items, extra_body={"prompt_cache_retention": "24h", "prompt_cache_options": {"ttl": "30m"}}')
    assert diag.severity == "high" and diag.segment == "params" and "HTTP 400" in diag.message
    assert openai_findings('model="gpt-5.6", input=items, prompt_cache_retention="24h", prompt_cache_options={"mode": "implicit"}') == []


def test_ttl_must_be_one_the_model_accepts_from_the_data_file() -> None:
    [diag] = openai_findings('model="gpt-5.6", input=items, prompt_cache_options={"ttl": "24h"}')
    assert "'24h'" in diag.message and "'30m'" in diag.message and "providers.yaml" in diag.message
    # model id not a literal: the TTLs of every model with explicit breakpoints
    assert len(openai_findings('model=MODEL, input=items, prompt_cache_options={"ttl": "1h"}')) == 1
    # a breakpoint's own ttl
    assert len(openai_findings('model="gpt-5.6", input=[{"role": "user", "content": [{"type": "input_text", "text": POLICY, "prompt_cache_breakpoint": {"mode": "explicit", "ttl": "12h"}}]}]')) == 1


def test_explicit_mode_needs_a_breakpoint_somewhere_in_the_module() -> None:
    [diag] = openai_findings('model="gpt-5.6", instructions=POLICY, input=items, prompt_cache_options={"mode": "explicit"}')
    assert diag.severity == "medium" and "nothing is cached" in diag.message
    marked = 'model="gpt-5.6", input=[{"role": "developer", "content": [{"type": "input_text", "text": POLICY, "prompt_cache_breakpoint": {"mode": "explicit"}}]}, *items], prompt_cache_options={"mode": "explicit"}'
    assert openai_findings(marked) == []


def test_breakpoint_on_instructions_tools_and_assistant_output() -> None:
    instructions = openai_findings('model="gpt-5.6", instructions=[{"type": "input_text", "text": POLICY, "prompt_cache_breakpoint": {"mode": "explicit"}}], input=items')
    assert [d.segment for d in instructions] == ["system"]
    chat_tool = openai_findings('model="gpt-5.6", tools=[{"type": "function", "function": {"name": "f", "parameters": {}}, "prompt_cache_breakpoint": {"mode": "explicit"}}], input=items')
    assert [d.segment for d in chat_tool] == ["tools"]
    output = openai_findings('model="gpt-5.6", input=[*items, {"type": "output_text", "text": "ok", "prompt_cache_breakpoint": {"mode": "explicit"}}]')
    assert [d.segment for d in output] == ["messages"]
    image = openai_findings('model="gpt-5.6", input=[{"role": "user", "content": [{"type": "input_image", "image_url": POLICY, "prompt_cache_breakpoint": {"mode": "explicit"}}]}]')
    assert image == []


def test_write_limit_is_four_in_explicit_mode_and_three_beside_the_implicit_breakpoint() -> None:
    block = '{"type": "input_text", "text": POLICY, "prompt_cache_breakpoint": {"mode": "explicit"}}'
    four = f'[{{"role": "user", "content": [{", ".join([block] * 4)}]}}]'
    [diag] = openai_findings(f'model="gpt-5.6", input={four}')
    assert "only the latest 3" in diag.message and diag.severity == "medium"
    assert openai_findings(f'model="gpt-5.6", input={four}, prompt_cache_options={{"mode": "explicit"}}') == []


def test_options_on_a_model_before_gpt_5_6() -> None:
    [diag] = openai_findings('model="gpt-5-mini", input=items, prompt_cache_options={"mode": "implicit"}')
    assert "`gpt-5-mini`, a model before GPT-5.6" in diag.message
    # the unknown future model is not claimed to be older
    assert openai_findings('model="gpt-7", input=items, prompt_cache_options={"mode": "implicit"}') == []
    [retention] = openai_findings('model="gpt-5.5", input=items, prompt_cache_retention="in_memory"')
    assert "'24h'" in retention.message
    assert openai_findings('model="gpt-4.1", input=items, prompt_cache_retention="in_memory"') == []


# CL410 ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ('os.environ.update(DISABLE_PROMPT_CACHING_HAIKU="1")', "Haiku models"),
        ('os.environ.setdefault("DISABLE_PROMPT_CACHING", "true")', "every model"),
        ('env = dict(os.environ, DISABLE_PROMPT_CACHING_SONNET="1")', "Sonnet models"),
    ],
)
def test_caching_switched_off_in_code(setup: str, expected: str) -> None:
    code = f"""
        import os
        import anthropic
        {setup}

        def ask(q):
            return anthropic.Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=9, messages=[{{"role": "user", "content": q}}])
        """
    [diag] = [d for d in structural(code) if d.code == "CL410"]
    assert diag.location.row == 4 and expected in diag.message


MIDDLEWARE_AGENT = """
    from langchain.agents import create_agent
    from langchain.chat_models import init_chat_model
    from langchain_aws.middleware import BedrockPromptCachingMiddleware
    from langchain_anthropic.middleware import AnthropicPromptCachingMiddleware

    agent = create_agent({model}, tools=[], middleware=[{middleware}(unsupported_model_behavior="ignore")])
    """


@pytest.mark.parametrize(
    ("model", "middleware", "severity"),
    [
        ('"bedrock_converse:us.anthropic.claude-sonnet-4-5-20250929-v1:0"', "AnthropicPromptCachingMiddleware", "medium"),
        ('init_chat_model("us.anthropic.claude-sonnet-4-5-20250929-v1:0", model_provider="bedrock")', "AnthropicPromptCachingMiddleware", "medium"),
        ('"anthropic:claude-sonnet-4-5"', "BedrockPromptCachingMiddleware", "medium"),
        ('"bedrock:mistral.mistral-large-2407-v1:0"', "BedrockPromptCachingMiddleware", "low"),
        ('"anthropic:claude-sonnet-4-5"', "AnthropicPromptCachingMiddleware", None),
        ('"claude-sonnet-4-5"', "AnthropicPromptCachingMiddleware", None),
        ('"bedrock_converse:us.amazon.nova-pro-v1:0"', "BedrockPromptCachingMiddleware", None),
        ('"openai:gpt-4.1"', "AnthropicPromptCachingMiddleware", None),
        ("model", "AnthropicPromptCachingMiddleware", None),
    ],
)
def test_middleware_that_silently_skips_the_model(model: str, middleware: str, severity: str | None) -> None:
    found = [d for d in structural(MIDDLEWARE_AGENT.format(model=model, middleware=middleware)) if d.code == "CL410"]
    assert [d.severity for d in found] == ([severity] if severity else [])
    if found and severity == "medium":
        assert "`unsupported_model_behavior=\"ignore\"`" in found[0].message and "0.1x" in found[0].message


def test_a_text_document_block_counts_toward_the_breakpoint_minimum() -> None:
    """A breakpoint on a `document` block: its `source.data` is the cached text (no `text` key)."""
    code = """
        import anthropic
        client = anthropic.Anthropic()
        DOC = "Intro text. " + " ... " * {repeat}

        client.messages.create(
            model="claude-opus-4-20250514",
            max_tokens=1024,
            messages=[{{"role": "user", "content": [
                {{"type": "document", "source": {{"type": "text", "media_type": "text/plain", "data": DOC}}, "cache_control": {{"type": "ephemeral"}}}},
                {{"type": "text", "text": "What does this document say?"}},
            ]}}],
        )
        """
    assert [c for _, c in structural_found(code.format(repeat=1000))] == []
    assert [c for _, c in structural_found(code.format(repeat=100))] == ["CL404"]


@pytest.mark.parametrize(
    ("system", "reported"),
    [
        ('PROMPT.format(day=datetime.now().strftime("%Y-%m-%d"))', False),
        ('PROMPT.format(day=date.today())', False),
        ('PROMPT.format(day=datetime.now().strftime("%H:%M:%S"))', True),
        ('PROMPT.format(day=str(uuid.uuid4()))', True),
    ],
)
def test_breakpoint_on_a_date_that_changes_once_a_day(system: str, reported: bool) -> None:
    """A breakpoint on a system block holding today's date is written once a day and read by the
    day's other calls (CL101 grades the date, low); on a value that changes every call it is
    written by every call and read by none."""
    found = structural_found(
        f"""
        import uuid
        from datetime import date, datetime
        import anthropic
        client = anthropic.Anthropic()
        PROMPT = "You are helpful. Today is {{day}}."

        def converse(history, question):
            system_prompt = {system}
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=1024,
                system=[{{"type": "text", "text": system_prompt, "cache_control": {{"type": "ephemeral"}}}}],
                messages=history + [{{"role": "user", "content": question}}],
            )
        """
    )
    assert ("CL401" in [code for _, code in found]) is reported


@pytest.mark.parametrize(("built_in", "reported"), [("__init__", False), ("reply", True)])
def test_breakpoint_on_a_system_block_built_once_per_object(built_in: str, reported: bool) -> None:
    """A system block with the session's start time, built in `__init__` and marked: every turn of
    that object's conversation reads it (CL101 grades the timestamp, per session). Built in the
    method that sends, it changes every call and nothing reads it."""
    block = '[{"type": "text", "text": f"Session started {datetime.now()}.", "cache_control": {"type": "ephemeral"}}]'
    found = structural_found(
        f"""
        from datetime import datetime
        import anthropic

        class Assistant:
            def __init__(self):
                self.client = anthropic.Anthropic()
                self.history = []
                self.system = {block if built_in == "__init__" else "[]"}

            def reply(self, text):
                system = {block if built_in == "reply" else "self.system"}
                self.history.append({{"role": "user", "content": text}})
                return self.client.messages.create(model="claude-sonnet-4-5", max_tokens=512, system=system, messages=self.history)
        """
    )
    assert ("CL401" in [code for _, code in found]) is reported
