"""SARIF 2.1.0 for GitHub code scanning (`--output-format sarif`).

One run whose `tool.driver.rules` lists every enabled rule with its docs, so code scanning can
show the rule help next to an alert; results point at repository-relative URIs under the
`%SRCROOT%` base, with 1-based columns where `endColumn` is the column after the last character.
No `security-severity`: cache busters cost money, they are not vulnerabilities, and that property
would file them under the security tab's severity ranking. No `partialFingerprints`: the
`upload-sarif` action computes them, and a hash computed differently would duplicate alerts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import cachelint
from cachelint.catalogue import Rule
from cachelint.diagnostics import Diagnostic, Edit, Location
from cachelint.formats import Report, relative_path

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"

LEVELS = {"high": "error", "medium": "warning", "low": "note", "info": "note"}
# Code scanning shows `problem.severity` for alerts that are not security alerts.
PROBLEM_SEVERITIES = {"high": "error", "medium": "warning", "low": "recommendation", "info": "recommendation"}


def render(report: Report) -> str:
    """The SARIF log as indented JSON, ending with a newline."""
    rules = _rule_descriptors(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    driver: dict[str, Any] = {"name": "cachelint", "version": cachelint.__version__}
    information_uri = _information_uri(report.rules)
    if information_uri:
        driver["informationUri"] = information_uri
    driver["rules"] = rules
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(report.root)}},
        # Columns count Python str characters (code points), not SARIF's default UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index[d.code], report.root) for d in report.diagnostics],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _directory_uri(directory: str) -> str:
    # A base URI must end with a slash, or relative URIs would replace its last segment.
    uri = Path(os.path.realpath(directory)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _information_uri(rules: list[Rule]) -> str | None:
    # Rule URLs are `<docs-url>/<name>` (catalogue.py), and the docs site is the tool's home.
    for rule in rules:
        suffix = "/" + rule.name
        if rule.url.endswith(suffix):
            return rule.url[: -len(suffix)]
    return None


def _rule_descriptors(report: Report) -> list[dict[str, Any]]:
    descriptors = [_rule_descriptor(rule) for rule in report.rules]
    known = {rule.code for rule in report.rules}
    # A finding whose rule is not in the enabled list (an engine diagnostic such as CL001, say)
    # still gets a descriptor, so every result can carry a valid ruleIndex.
    extra: dict[str, Diagnostic] = {}
    for diagnostic in report.diagnostics:
        if diagnostic.code not in known:
            extra.setdefault(diagnostic.code, diagnostic)
    for code in sorted(extra):
        descriptors.append(_fallback_descriptor(extra[code]))
    return descriptors


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    tags = ["prompt-cache"]
    if rule.segment:
        tags.append(f"segment:{rule.segment}")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary.strip()},
        "fullDescription": {"text": rule.what.strip()},
        "help": {
            "text": f"{rule.what.strip()}\n\n{rule.why.strip()}\n\nFix: {rule.fix.strip()}",
            "markdown": rule.docs_markdown(),
        },
        "helpUri": rule.url,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": tags, "problem.severity": PROBLEM_SEVERITIES[rule.severity]},
    }


def _fallback_descriptor(diagnostic: Diagnostic) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": diagnostic.code,
        "name": diagnostic.name,
        "shortDescription": {"text": diagnostic.name},
        "defaultConfiguration": {"level": LEVELS[diagnostic.severity]},
    }
    if diagnostic.url:
        descriptor["helpUri"] = diagnostic.url
    return descriptor


def _result(diagnostic: Diagnostic, rule_index: int, root: str) -> dict[str, Any]:
    artifact = _artifact_location(diagnostic.filename, root)
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": _region(diagnostic.location, diagnostic.end_location),
                }
            }
        ],
    }
    if diagnostic.related:
        result["relatedLocations"] = [
            {
                "id": i,
                "physicalLocation": {
                    "artifactLocation": _artifact_location(related.filename, root),
                    "region": {"startLine": related.location.row, "startColumn": related.location.column},
                },
                "message": {"text": related.message},
            }
            for i, related in enumerate(diagnostic.related)
        ]
    # SARIF requires at least one replacement per change; a fix without edits is advice only.
    if diagnostic.fix and diagnostic.fix.edits:
        result["fixes"] = [
            {
                "description": {"text": diagnostic.fix.message},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [_replacement(edit) for edit in diagnostic.fix.edits],
                    }
                ],
            }
        ]
    if diagnostic.segment:
        result["properties"] = {"segment": diagnostic.segment}
    return result


def _artifact_location(filename: str, root: str) -> dict[str, str]:
    relative = relative_path(filename, root)
    if relative is None:
        # Outside the repository: an absolute file URI is the only honest answer.
        return {"uri": Path(os.path.realpath(filename)).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _region(start: Location, end: Location) -> dict[str, int]:
    return {"startLine": start.row, "startColumn": start.column, "endLine": end.row, "endColumn": end.column}


def _replacement(edit: Edit) -> dict[str, Any]:
    return {
        "deletedRegion": _region(edit.location, edit.end_location),
        "insertedContent": {"text": edit.content},
    }
