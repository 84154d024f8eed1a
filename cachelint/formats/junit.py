"""JUnit XML (`--output-format junit`), as GitLab's test reports and Jenkins read it.

One `<testsuite>` per file with findings, one `<testcase>` per finding, each holding a `<failure>`
whose `type` is the rule code. When nothing is found the report holds one passing test case, so
CI shows a green test instead of an empty report, which some readers treat as an error.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from cachelint.diagnostics import Diagnostic
from cachelint.formats import Report, repo_path

# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` with characters that XML 1.0 forbids shown as `\\xNN`/`\\uNNNN` escapes.

    CR and CRLF become LF: an XML parser turns a literal CR in text into LF anyway, and doing it
    here keeps what a reader gets equal to what was written.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub(_escape_char, text)


def render(report: Report) -> str:
    """The JUnit report as indented XML with a declaration, ending with a newline."""
    suites: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.diagnostics:
        path = repo_path(diagnostic.filename, report.root)
        suites.setdefault(path, []).append(diagnostic)

    total = len(report.diagnostics)
    root = ET.Element(
        "testsuites", name="cachelint", tests=str(max(total, 1)), failures=str(total), errors="0"
    )
    for path, diagnostics in suites.items():
        suite = _suite(root, xml_safe(path), tests=len(diagnostics), failures=len(diagnostics))
        for diagnostic in diagnostics:
            _testcase(suite, path, diagnostic, report.root)
    if not suites:
        suite = _suite(root, "cachelint", tests=1, failures=0)
        ET.SubElement(suite, "testcase", name="no cache busters found", classname="cachelint")

    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(parent: ET.Element, name: str, tests: int, failures: int) -> ET.Element:
    return ET.SubElement(
        parent, "testsuite", name=name, tests=str(tests), failures=str(failures), errors="0", skipped="0"
    )


def _testcase(suite: ET.Element, path: str, diagnostic: Diagnostic, root: str) -> None:
    start = diagnostic.location
    case = ET.SubElement(
        suite,
        "testcase",
        name=xml_safe(f"{diagnostic.code} {diagnostic.name} ({start.row}:{start.column})"),
        classname=xml_safe(path),
        file=xml_safe(path),
        line=str(start.row),
    )
    failure = ET.SubElement(case, "failure", message=xml_safe(diagnostic.message), type=diagnostic.code)
    failure.text = xml_safe(_details(path, diagnostic, root))


def _details(path: str, diagnostic: Diagnostic, root: str) -> str:
    start = diagnostic.location
    lines = [f"{path}:{start.row}:{start.column}: {diagnostic.code} {diagnostic.message}"]
    if diagnostic.help:
        lines.append(f"help: {diagnostic.help}")
    for related in diagnostic.related:
        where = f"{repo_path(related.filename, root)}:{related.location.row}:{related.location.column}"
        lines.append(f"related: {where}: {related.message}")
    if diagnostic.url:
        lines.append(f"docs: {diagnostic.url}")
    return "\n".join(lines)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
