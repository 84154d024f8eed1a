"""`--output-format github`: workflow commands GitHub turns into annotations."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from cachelint.diagnostics import Fix
from cachelint.formats import Report, renderer
from cachelint.formats.github import escape_data, escape_property, render

_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def unescape(text: str) -> str:
    """What the Actions runner does with an escaped value: one left-to-right pass."""
    return re.sub("%25|%0D|%0A|%3A|%2C", lambda m: _ESCAPES[m.group()], text)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Split `::cmd k=v,k=v::message` as the runner does; values and message unescaped."""
    assert line.startswith("::")
    head, message = line[2:].split("::", 1)
    command, _, props = head.partition(" ")
    properties = dict(item.split("=", 1) for item in props.split(","))
    return command, {k: unescape(v) for k, v in properties.items()}, unescape(message)


# Text a message or path may hold, biased towards the characters that need escaping.
tricky_text = st.text(
    alphabet=st.one_of(st.sampled_from("%:,\r\n=:: %0A%25"), st.characters(codec="utf-8")), max_size=60
)


@given(tricky_text)
def test_escape_data_round_trips_and_leaves_no_line_breaks(text: str) -> None:
    escaped = escape_data(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert unescape(escaped) == text


@given(tricky_text)
def test_escape_property_round_trips_and_leaves_no_separators(text: str) -> None:
    escaped = escape_property(text)
    assert not set(escaped) & set(":,\r\n")
    assert unescape(escaped) == text


def test_percent_is_escaped_first() -> None:
    # Escaping `%` after `\n` would turn the newline's `%0A` into `%250A`, and a literal `%0A`
    # in the message would come back as a line break.
    assert escape_data("50%\n") == "50%25%0A"
    assert escape_data("literal %0A") == "literal %250A"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


@given(message=tricky_text, help_text=tricky_text, name=tricky_text.filter(lambda s: "/" not in s and "\0" not in s))
def test_rendered_command_parses_back_to_the_diagnostic(make_diagnostic, message, help_text, name) -> None:
    filename = f"/repo/pkg/{name or 'x'}.py"
    diagnostic = make_diagnostic(filename, message=message, help=help_text)
    output = render(Report(format="github", diagnostics=[diagnostic], rules=[], root="/repo"))
    assert output.endswith("\n") and output.count("\n") == 1, "one command on one line"
    command, props, text = parse_command(output.rstrip("\n"))
    assert command == "error"
    assert props["file"] == f"pkg/{name or 'x'}.py"
    assert props["title"] == "cachelint (CL101)"
    expected = f"{message}\nhelp: {help_text}" if help_text else message
    assert text == expected


def test_exact_line_for_a_single_line_span(make_diagnostic, report_for, root) -> None:
    diagnostic = make_diagnostic(str(root / "pkg" / "agent.py"), start=(12, 9), end=(12, 31), help="Move it out")
    assert render(report_for("github", [diagnostic])) == (
        "::error title=cachelint (CL101),file=pkg/agent.py,line=12,endLine=12,col=9,endColumn=31"
        "::Clock value `datetime.now()` reaches the system prompt%0Ahelp: Move it out\n"
    )


def test_columns_omitted_when_the_span_covers_several_lines(make_diagnostic, report_for, root) -> None:
    diagnostic = make_diagnostic(str(root / "pkg" / "agent.py"), start=(3, 5), end=(6, 2))
    _, props, _ = parse_command(render(report_for("github", [diagnostic])).rstrip("\n"))
    assert props == {"title": "cachelint (CL101)", "file": "pkg/agent.py", "line": "3", "endLine": "6"}


def test_columns_are_the_diagnostics_one_based_columns(make_diagnostic, report_for, root) -> None:
    diagnostic = make_diagnostic(str(root / "pkg" / "agent.py"), start=(1, 1), end=(1, 2))
    _, props, _ = parse_command(render(report_for("github", [diagnostic])).rstrip("\n"))
    assert (props["line"], props["col"], props["endColumn"]) == ("1", "1", "2")


def test_severity_maps_to_the_command(make_diagnostic, report_for, root) -> None:
    path = str(root / "pkg" / "agent.py")
    diagnostics = [
        make_diagnostic(path, start=(row, 1), severity=severity)
        for row, severity in enumerate(("high", "medium", "low", "info"), start=1)
    ]
    commands = [parse_command(line)[0] for line in render(report_for("github", diagnostics)).splitlines()]
    assert commands == ["error", "warning", "notice", "notice"]


def test_fix_message_is_the_help_line_when_there_is_no_help(make_diagnostic, report_for, root) -> None:
    fix = Fix(applicability="safe", message="Wrap in `sorted(...)`", edits=())
    diagnostic = make_diagnostic(str(root / "pkg" / "agent.py"), fix=fix)
    _, _, text = parse_command(render(report_for("github", [diagnostic])).rstrip("\n"))
    assert text.endswith("\nhelp: Wrap in `sorted(...)`")


def test_no_findings_prints_nothing(report_for) -> None:
    assert render(report_for("github", [])) == ""


def test_registered_under_its_format_name() -> None:
    assert renderer("github") is render
