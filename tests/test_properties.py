"""Property-based tests: the engine never raises, and suppressions remove exactly their finding."""

from __future__ import annotations

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cachelint.catalogue import load_catalogue
from cachelint.engine import check_source
from cachelint.knowledge import load_knowledge

CATALOGUE = load_catalogue()
KNOWLEDGE = load_knowledge()
ENABLED = frozenset(CATALOGUE.by_code())
# Mentioning a sink makes the prefilter pass, so generated code goes through the whole engine.
SINK_HEADER = "import anthropic\nclient = anthropic.Anthropic()\nclient.messages.create(messages=[], system='')\n"


def run(source: str):
    return check_source(source.encode("utf-8", "surrogatepass"), "gen.py", KNOWLEDGE, CATALOGUE, ENABLED)


def assert_never_raises(source: str) -> None:
    for text in (source, SINK_HEADER + source):
        result = run(text)
        for diag in result.diagnostics:
            assert diag.location.row >= 1 and diag.location.column >= 1


FAST = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))


@FAST
@given(hypothesmith.from_grammar())
def test_engine_never_raises_on_grammar_generated_code(source: str) -> None:
    assert_never_raises(source)


@FAST
@given(hypothesmith.from_node())
# hypothesmith compiles what it generates (as "<string>"); cachelint's own parses are quiet.
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
def test_engine_never_raises_on_cst_generated_code(source: str) -> None:
    assert_never_raises(source)


@pytest.mark.slow
@SLOW
@given(st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node()))
def test_engine_never_raises_thorough(source: str) -> None:
    assert_never_raises(source)


VOLATILE = [
    "str(time.time())",
    "datetime.now().isoformat()",
    "str(uuid.uuid4())",
    "secrets.token_hex(4)",
    "f'{random.random()}'",
    "date.today().isoformat()",
]
STATIC = ["'policy'", "'be brief'", "str(len('abc'))"]


@st.composite
def programs(draw, parts: list[str] = VOLATILE + STATIC) -> str:
    """A request builder that mixes the given parts into system, tools and messages."""
    names = [f"part{i}" for i in range(draw(st.integers(1, 5)))]
    lines = [
        "import anthropic, time, uuid, secrets, random",
        "from datetime import datetime, date",
        "client = anthropic.Anthropic()",
        "",
        "def run(question, history):",
    ]
    for name in names:
        lines.append(f"    {name} = {draw(st.sampled_from(parts))}")
    system = " + ".join(draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)))
    tool_desc = draw(st.sampled_from(names))
    early = draw(st.sampled_from(names))
    last = draw(st.sampled_from(names))
    lines += [
        f"    tools = [{{'name': 't', 'description': {tool_desc}, 'input_schema': {{}}}}]",
        f"    messages = [{{'role': 'user', 'content': {early}}}, *history, {{'role': 'user', 'content': {last} + question}}]",
        f"    return client.messages.create(model='m', max_tokens=1, system={system}, tools=tools, messages=messages)",
    ]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(programs(), st.data())
def test_suppressing_a_reported_line_removes_exactly_that_finding(source: str, data) -> None:
    before = run(source).diagnostics
    assume(before)
    target = data.draw(st.sampled_from(before))
    lines = source.splitlines()
    row = target.location.row
    lines[row - 1] += f"  # noqa: {target.code}"
    after = run("\n".join(lines) + "\n").diagnostics
    expected = [d for d in before if not (d.location.row == row and d.code == target.code)]
    assert [(d.location.row, d.code) for d in after] == [(d.location.row, d.code) for d in expected]


@settings(max_examples=60, deadline=None)
@given(programs(STATIC))
def test_static_only_programs_have_no_findings(source: str) -> None:
    assert run(source).diagnostics == []


FORWARDERS = [
    "asyncio.to_thread({args})",
    "functools.partial({args})",
    "functools.partial({args})()",
    "asyncio.get_running_loop().run_in_executor(None, {args})",
    "sync_to_async({args})(model='m', max_tokens=1)",
    "anyio.to_thread.run_sync({args})",
    "pool.submit({args})",
    "bound({args})",
]
CALLABLES = [
    "client.messages.create",
    "lambda: client.messages.create(model='m', max_tokens=1, system=str(time.time()), messages=history)",
    "lambda x: client.messages.create(model=x, max_tokens=1, messages=history)",
    "functools.partial(client.messages.create, model='m')",
    "print",
    "None",
    "'text'",
    "*callables",
]
ARGUMENTS = [
    "'m'",
    "history",
    "model='m'",
    "max_tokens=1",
    "system=str(uuid.uuid4())",
    "messages=history[-5:]",
    "*extra",
    "**options",
]


@st.composite
def forwarded_programs(draw) -> tuple[str, bool]:
    """Requests made through forwarders with arguments in any valid order, in a conversation loop;
    and whether the SDK method itself is handed on with a random id in `system=`."""
    positional = draw(st.lists(st.sampled_from([a for a in ARGUMENTS if "=" not in a and not a.startswith("*")]), max_size=2))
    starred = draw(st.lists(st.just("*extra"), max_size=1))
    keywords = draw(st.lists(st.sampled_from([a for a in ARGUMENTS if "=" in a]), max_size=3, unique=True))
    double = draw(st.lists(st.just("**options"), max_size=1))
    callable_ = draw(st.sampled_from(CALLABLES))
    args = ", ".join([callable_, *positional, *starred, *keywords, *double])
    call = draw(st.sampled_from(FORWARDERS)).format(args=args)
    reaches = callable_ == "client.messages.create" and "system=str(uuid.uuid4())" in keywords
    source = "\n".join(
        [
            "import asyncio, functools, time, uuid",
            "import anyio",
            "from asgiref.sync import sync_to_async",
            "bound = functools.partial(client.messages.create, max_tokens=1)",
            "async def turn(pool, callables, extra, options):",
            "    history = []",
            "    while True:",
            "        history.append({'role': 'user', 'content': input()})",
            f"        reply = await {call}",
            "        history.append({'role': 'assistant', 'content': reply})",
        ]
    )
    return source, reaches


def assert_forwarded_request_is_checked(program: tuple[str, bool]) -> None:
    """Never raises; and a random id handed on to the SDK method through any forwarder is found."""
    source, reaches = program
    assert_never_raises(source)
    if reaches:
        assert "CL102" in {d.code for d in run(SINK_HEADER + source).diagnostics}


@FAST
@given(forwarded_programs())
def test_forwarded_requests_never_raise_and_are_checked(program: tuple[str, bool]) -> None:
    assert_forwarded_request_is_checked(program)


@pytest.mark.slow
@SLOW
@given(forwarded_programs())
def test_forwarded_requests_never_raise_and_are_checked_thorough(program: tuple[str, bool]) -> None:
    assert_forwarded_request_is_checked(program)
