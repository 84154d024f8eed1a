"""CL4xx: breakpoint placement rules, run directly on parsed snippets and on the catalogue examples."""

from __future__ import annotations

import textwrap

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
from cachelint.providers import load_provider_facts
from tests.helpers import expected

FAMILIES = ("CL4", "CL5")


def structural(code: str, filename: str = "snippet.py") -> list[Diagnostic]:
    """CL4xx and CL5xx diagnostics of a dedented snippet (every rule of both families enabled)."""
    rules = {c: r for c, r in load_catalogue().by_code().items() if c.startswith(FAMILIES)}
    module = parse(textwrap.dedent(code))
    analysis = _analysis(module, load_knowledge(), ModuleContext())
    analysis.run()
    index = ModuleIndex(module, analysis)
    return breakpoint_diagnostics(index, rules, filename, load_provider_facts()) + conversation_diagnostics(index, rules, filename)


def structural_found(code: str) -> list[tuple[int, str]]:
    return sorted((d.location.row, d.code) for d in structural(code))


def catalogue_cases(prefix: str) -> list:
    return [
        pytest.param(rule.code, example, id=f"{rule.code}-{'valid' if example.valid else 'invalid'}-{i}")
        for rule in load_catalogue().rules
        if rule.code.startswith(prefix)
        for i, example in enumerate(rule.examples)
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
