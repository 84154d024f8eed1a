"""`--output-format junit`: JUnit XML that parses, with counts that match the findings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from cachelint.diagnostics import Location, Related
from cachelint.formats import Report, renderer
from cachelint.formats.junit import render, xml_safe


def parse(output: str) -> ET.Element:
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(output.encode("utf-8"))


def test_counts_match_the_findings(make_diagnostic, report_for, root) -> None:
    agent, other = str(root / "pkg" / "agent.py"), str(root / "pkg" / "other.py")
    diagnostics = [
        make_diagnostic(agent, start=(3, 9)),
        make_diagnostic(agent, start=(8, 1), code="CL201", name="unordered-tools", severity="medium"),
        make_diagnostic(other, start=(1, 1)),
    ]
    tree = parse(render(report_for("junit", diagnostics)))
    assert tree.tag == "testsuites"
    assert (tree.get("tests"), tree.get("failures"), tree.get("errors")) == ("3", "3", "0")
    suites = tree.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        ("pkg/agent.py", "2", "2"),
        ("pkg/other.py", "1", "1"),
    ]
    cases = tree.findall("testsuite/testcase")
    assert len(cases) == len(tree.findall("testsuite/testcase/failure")) == 3
    assert [c.find("failure").get("type") for c in cases] == ["CL101", "CL201", "CL101"]
    first = cases[0]
    assert first.get("name") == "CL101 clock-in-prefix (3:9)"
    assert (first.get("classname"), first.get("file"), first.get("line")) == ("pkg/agent.py", "pkg/agent.py", "3")
    assert first.find("failure").text.startswith("pkg/agent.py:3:9: CL101 Clock value")


def test_no_findings_is_one_passing_test(report_for) -> None:
    tree = parse(render(report_for("junit", [])))
    assert (tree.get("tests"), tree.get("failures")) == ("1", "0")
    (case,) = tree.findall("testsuite/testcase")
    assert case.find("failure") is None


def test_failure_text_carries_help_related_and_docs(make_diagnostic, report_for, root) -> None:
    agent = str(root / "pkg" / "agent.py")
    diagnostic = make_diagnostic(
        agent,
        help="Move the clock value to the newest user message",
        related=(Related(agent, Location(10, 5), "enters `system` here"),),
        url="https://cachelint.example/rules/clock-in-prefix",
    )
    text = parse(render(report_for("junit", [diagnostic]))).find("testsuite/testcase/failure").text
    assert text.splitlines()[1:] == [
        "help: Move the clock value to the newest user message",
        "related: pkg/agent.py:10:5: enters `system` here",
        "docs: https://cachelint.example/rules/clock-in-prefix",
    ]


def test_markup_in_messages_is_escaped(make_diagnostic, report_for, root) -> None:
    message = 'a <b>&amp; "quote" \'single\' ]]> </failure></testcase>'
    diagnostic = make_diagnostic(str(root / "pkg" / "agent.py"), message=message)
    failure = parse(render(report_for("junit", [diagnostic]))).find("testsuite/testcase/failure")
    assert failure.get("message") == message
    assert message in failure.text


def test_characters_xml_cannot_hold_are_shown_as_escapes() -> None:
    assert xml_safe("bell\x07 nul\x00 esc\x1b ok\t") == "bell\\x07 nul\\x00 esc\\x1b ok\t"
    assert xml_safe("a\r\nb\rc") == "a\nb\nc"
    assert xml_safe("lone \ud800 surrogate, \ufffe") == "lone \\ud800 surrogate, \\ufffe"


@given(message=st.text(max_size=80), name=st.text(max_size=20).filter(lambda s: "/" not in s and "\0" not in s))
def test_any_message_and_path_give_well_formed_xml(make_diagnostic, message: str, name: str) -> None:
    diagnostic = make_diagnostic(f"/repo/{name or 'x'}.py", message=message)
    tree = parse(render(Report(format="junit", diagnostics=[diagnostic], rules=[], root="/repo")))
    failure = tree.find("testsuite/testcase/failure")
    assert failure.get("message") == xml_safe(message)
    assert tree.find("testsuite").get("name") == xml_safe(f"{name or 'x'}.py")


def test_registered_under_its_format_name() -> None:
    assert renderer("junit") is render
