"""`# noqa` and `# cachelint: ignore[...]` comments, and CL002 for the unused ones."""

from __future__ import annotations

from tests.helpers import found

BASE = """\
import anthropic, time
client = anthropic.Anthropic()

def run(q):
    {line}
    client.messages.create(model="m", max_tokens=1, system=s, messages=[])
"""


def with_line(line: str) -> str:
    return BASE.format(line=line)


def test_unsuppressed_finding() -> None:
    assert found(with_line('s = f"{time.time()}"')) == [(5, "CL101")]


def test_noqa_with_code_on_the_line() -> None:
    assert found(with_line('s = f"{time.time()}"  # noqa: CL101')) == []


def test_bare_noqa_suppresses_everything_and_is_never_reported_unused() -> None:
    assert found(with_line('s = f"{time.time()}"  # noqa')) == []
    assert found(with_line('s = "static"  # noqa')) == []


def test_cachelint_ignore_on_the_line() -> None:
    assert found(with_line('s = f"{time.time()}"  # cachelint: ignore[CL101]')) == []


def test_own_line_comment_above_the_statement() -> None:
    code = with_line('# cachelint: ignore[CL101]\n    s = (\n        "prefix "\n        + str(time.time())\n    )')
    assert found(code) == []


def test_other_code_does_not_suppress_and_is_reported_unused() -> None:
    assert found(with_line('s = f"{time.time()}"  # noqa: CL102')) == [(5, "CL002"), (5, "CL101")]


def test_other_tools_codes_are_left_alone() -> None:
    assert found(with_line('s = f"{time.time()}"  # noqa: E501, CL101')) == []
    assert found(with_line('s = "static"  # noqa: E501')) == []


def test_unused_suppression_is_reported() -> None:
    assert found(with_line('s = "static"  # noqa: CL101')) == [(5, "CL002")]
    assert found(with_line('s = "static"  # cachelint: ignore[CL102]')) == [(5, "CL002")]


def test_unknown_code_in_suppression() -> None:
    [diag] = [d for d in __import__("tests.helpers", fromlist=["check"]).check(with_line('s = "static"  # noqa: CL999'))]
    assert diag.code == "CL002" and "Unknown rule code `CL999`" in diag.message


def test_unused_suppression_not_reported_when_cl002_disabled() -> None:
    assert found(with_line('s = "static"  # noqa: CL101'), enabled={"CL101"}) == []


def test_code_of_a_disabled_rule_is_not_reported_unused() -> None:
    assert found(with_line('s = "static"  # noqa: CL102'), enabled={"CL101", "CL002"}) == []


def test_noqa_after_closing_quotes_covers_a_multiline_string() -> None:
    code = with_line("s = f'''\n        Clock {time.time()}\n    '''  # noqa: CL101")
    assert found(code) == []


def test_suppression_in_a_string_is_not_a_comment() -> None:
    assert found(with_line('s = f"{time.time()} # noqa: CL101"')) == [(5, "CL101")]


def test_suppressing_removes_exactly_that_finding() -> None:
    code = """\
import anthropic, time, uuid
client = anthropic.Anthropic()

def run(q):
    a = str(time.time())  # noqa: CL101
    b = str(uuid.uuid4())
    client.messages.create(model="m", max_tokens=1, system=a + b, messages=[])
"""
    assert found(code) == [(6, "CL102")]


def test_directive_quoted_in_prose_is_not_a_directive() -> None:
    code = with_line('s = "static"  # a `# noqa: CL101` in prose, and "# cachelint: ignore[CL102]" too')
    assert found(code) == []
    assert found(with_line('s = f"{time.time()}"  # timing note  # noqa: CL101')) == []
