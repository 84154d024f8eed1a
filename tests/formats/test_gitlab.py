"""`--output-format gitlab`: GitLab Code Quality with fingerprints that survive unrelated edits."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from cachelint.formats import Report, renderer
from cachelint.formats.gitlab import render

SOURCE = """\
from datetime import datetime
import anthropic
system = f"Now: {datetime.now()}"
"""
SHIFTED = '"""A docstring and some imports added above."""\nimport os\nimport sys\n\n' + SOURCE


def fingerprints(report) -> list[str]:
    return [issue["fingerprint"] for issue in json.loads(render(report))]


def test_issue_shape(make_diagnostic, report_for, root) -> None:
    diagnostic = make_diagnostic(str(root / "pkg" / "agent.py"), start=(3, 18), end=(4, 2))
    (issue,) = json.loads(render(report_for("gitlab", [diagnostic])))
    assert issue["description"] == "CL101 Clock value `datetime.now()` reaches the system prompt"
    assert issue["check_name"] == "CL101"
    assert issue["severity"] == "major"
    assert issue["location"] == {"path": "pkg/agent.py", "lines": {"begin": 3, "end": 4}}
    assert len(issue["fingerprint"]) == 64


def test_severity_mapping(make_diagnostic, report_for, root) -> None:
    path = str(root / "pkg" / "agent.py")
    diagnostics = [
        make_diagnostic(path, start=(row, 1), severity=severity)
        for row, severity in enumerate(("high", "medium", "low", "info"), start=1)
    ]
    issues = json.loads(render(report_for("gitlab", diagnostics)))
    assert [issue["severity"] for issue in issues] == ["major", "minor", "info", "info"]


def test_fingerprint_survives_lines_added_above(make_diagnostic, report_for, root) -> None:
    path = str(root / "pkg" / "agent.py")
    before = report_for("gitlab", [make_diagnostic(path, start=(3, 18))], sources={path: SOURCE})
    after = report_for("gitlab", [make_diagnostic(path, start=(7, 18))], sources={path: SHIFTED})
    assert fingerprints(before) == fingerprints(after)


def test_fingerprint_changes_with_the_reported_line(make_diagnostic, report_for, root) -> None:
    path = str(root / "pkg" / "agent.py")
    edited = SOURCE.replace("Now:", "Time:")
    original = report_for("gitlab", [make_diagnostic(path, start=(3, 18))], sources={path: SOURCE})
    changed = report_for("gitlab", [make_diagnostic(path, start=(3, 18))], sources={path: edited})
    other_rule = report_for("gitlab", [make_diagnostic(path, start=(3, 18), code="CL102")], sources={path: SOURCE})
    assert len({*fingerprints(original), *fingerprints(changed), *fingerprints(other_rule)}) == 3


def test_fingerprint_reads_the_file_when_the_report_has_no_sources(make_diagnostic, report_for, root) -> None:
    # The CLI keeps sources only for the human formats; the file on disk gives the same line.
    path = root / "pkg" / "agent.py"
    path.write_text(SOURCE)
    report = report_for("gitlab", [make_diagnostic(str(path), start=(3, 18))])
    from_disk = fingerprints(report)
    assert from_disk == fingerprints(report_for("gitlab", report.diagnostics, sources={str(path): SOURCE}))
    path.write_text(SOURCE.replace("Now:", "Time:"))
    assert fingerprints(report) != from_disk


def test_identical_findings_get_distinct_stable_fingerprints(make_diagnostic, report_for, root) -> None:
    # The same offending line twice in one file (and shifted down by edits above).
    path = str(root / "pkg" / "agent.py")
    twice = SOURCE + SOURCE.splitlines()[2] + "\n"
    twice_shifted = "import os\n" + twice
    first = report_for("gitlab", [make_diagnostic(path, start=(3, 18)), make_diagnostic(path, start=(4, 18))], sources={path: twice})
    shifted = report_for(
        "gitlab", [make_diagnostic(path, start=(4, 18)), make_diagnostic(path, start=(5, 18))], sources={path: twice_shifted}
    )
    assert len(set(fingerprints(first))) == 2
    assert fingerprints(first) == fingerprints(shifted)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a.py", "b.py"]),
            st.integers(min_value=1, max_value=6),
            st.sampled_from(["CL101", "CL201"]),
            st.sampled_from(["clock at line 1", "clock at line 2", "uuid"]),
        ),
        max_size=25,
    )
)
def test_fingerprints_are_unique_within_any_report(make_diagnostic, findings) -> None:
    # Few distinct lines, codes and messages, so collisions before the counter are common.
    sources = {f"/repo/{name}": "x = 1\nx = 1\ny = 2\nx = 1\n" for name in ("a.py", "b.py")}
    diagnostics = sorted(
        (make_diagnostic(f"/repo/{name}", start=(row, 1), code=code, message=message) for name, row, code, message in findings),
        key=lambda d: d.sort_key(),
    )
    report = Report(format="gitlab", diagnostics=diagnostics, rules=[], sources=sources, root="/repo")
    prints = fingerprints(report)
    assert len(set(prints)) == len(prints)


def test_fingerprints_unique_across_files(make_diagnostic, report_for, root) -> None:
    (root / "pkg" / "other.py").write_text(SOURCE)
    diagnostics = [make_diagnostic(str(root / "pkg" / name), start=(3, 18)) for name in ("agent.py", "other.py")]
    sources = {d.filename: SOURCE for d in diagnostics}
    assert len(set(fingerprints(report_for("gitlab", diagnostics, sources=sources)))) == 2


def test_no_findings_is_an_empty_array(report_for) -> None:
    assert json.loads(render(report_for("gitlab", []))) == []


def test_registered_under_its_format_name() -> None:
    assert renderer("gitlab") is render
