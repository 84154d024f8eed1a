"""GitLab Code Quality (`--output-format gitlab`): a JSON array for `artifacts:reports:codequality`.

Each finding has `description`, `check_name`, `fingerprint`, `severity` and `location` (`path`
relative to the repository root, `lines.begin` and `lines.end`).

Severity mapping (GitLab knows info, minor, major, critical, blocker):

| cachelint | GitLab  | why |
|-----------|---------|-----|
| high      | major   | every call pays full price for the prefix; costly, but the program still works, so `critical` and `blocker` stay free for correctness and security tools |
| medium    | minor   | the cache breaks sometimes (per session, per deploy, per day) |
| low       | info    | small or occasional waste |
| info      | info    | advice |

GitLab compares fingerprints between the merge request and its target branch to say which
findings are new and which are fixed, so a fingerprint must survive unrelated edits: it hashes the
rule code, the path, the message (which never names a line) and the text of the reported line, but not the line number, so code added above a finding keeps it stable. Identical findings in one file get an occurrence
counter, because GitLab shows only one finding per fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cachelint.diagnostics import Diagnostic
from cachelint.formats import Report, repo_path

SEVERITIES = {"high": "major", "medium": "minor", "low": "info", "info": "info"}



def render(report: Report) -> str:
    """The Code Quality report as indented JSON, ending with a newline."""
    lines_by_file: dict[str, list[str]] = {}
    occurrences: dict[tuple[str, str, str, str], int] = {}
    issues: list[dict[str, Any]] = []
    for diagnostic in report.diagnostics:
        path = repo_path(diagnostic.filename, report.root)
        if diagnostic.filename not in lines_by_file:
            lines_by_file[diagnostic.filename] = _source_lines(diagnostic.filename, report.sources)
        line_text = _line_text(lines_by_file[diagnostic.filename], diagnostic)
        identity = (diagnostic.code, path, diagnostic.message, line_text)
        occurrence = occurrences.get(identity, 0)
        occurrences[identity] = occurrence + 1
        issues.append(_issue(diagnostic, path, _fingerprint(identity, occurrence)))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _fingerprint(identity: tuple[str, str, str, str], occurrence: int) -> str:
    # The NUL separator keeps field boundaries unambiguous.
    return hashlib.sha256("\0".join((*identity, str(occurrence))).encode()).hexdigest()


def _issue(diagnostic: Diagnostic, path: str, digest: str) -> dict[str, Any]:
    return {
        "description": f"{diagnostic.code} {diagnostic.message}",
        "check_name": diagnostic.code,
        "fingerprint": digest,
        "severity": SEVERITIES[diagnostic.severity],
        "location": {
            "path": path,
            "lines": {"begin": diagnostic.location.row, "end": diagnostic.end_location.row},
        },
    }


def _source_lines(filename: str, sources: dict[str, str]) -> list[str]:
    source = sources.get(filename)
    if source is None:
        # The CLI keeps sources only for the human formats; the fingerprint needs the line text.
        try:
            with open(filename, encoding="utf-8", errors="replace") as handle:
                source = handle.read()
        except OSError:
            return []
    # Universal newlines, as Python counts lines.
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _line_text(lines: list[str], diagnostic: Diagnostic) -> str:
    index = diagnostic.location.row - 1
    # Stripped, so re-indenting the line (wrapping it in a block) does not make it a new finding.
    return lines[index].strip() if 0 <= index < len(lines) else ""
