"""`--output-format sarif`: SARIF 2.1.0 checked against the official schema and GitHub's needs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import cachelint
from cachelint.diagnostics import Edit, Fix, Location, Related
from cachelint.formats import renderer
from cachelint.formats.sarif import render

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(log: dict[str, Any]) -> None:
    """Validate with the Draft 7 validator the schema declares, checking formats it can check."""
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(log)


def find(log: dict[str, Any], rule_id: str, uri: str) -> dict[str, Any]:
    """The one result of `rule_id` in the file at `uri`."""
    (result,) = [
        r
        for r in log["runs"][0]["results"]
        if r["ruleId"] == rule_id and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
    ]
    return result


@pytest.fixture
def rich_log(make_rule, make_diagnostic, report_for, root) -> tuple[dict[str, Any], Any]:
    """A log exercising every part of the emitter: related locations, fixes, odd paths, engine codes."""
    agent = str(root / "pkg" / "agent.py")
    rules = [
        make_rule("CL101", "clock-in-prefix", "high"),
        make_rule("CL201", "unordered-tools", "medium", segment="tools", fixable=True),
        make_rule("CL401", "breakpoint-advice", "info", segment=None),
    ]
    fix = Fix(
        applicability="safe",
        message="Wrap in `sorted(...)`",
        edits=(
            Edit("sorted(", Location(7, 14), Location(7, 14)),
            Edit(")", Location(7, 22), Location(7, 22)),
        ),
    )
    diagnostics = [
        make_diagnostic(
            agent,
            start=(3, 9),
            end=(3, 23),
            related=(Related(agent, Location(10, 5), "the value enters `system` here"),),
            segment="system",
        ),
        make_diagnostic(agent, start=(7, 14), end=(9, 2), code="CL201", severity="medium", name="unordered-tools", fix=fix),
        make_diagnostic(str(root / "my dir" / "b.py"), code="CL001", severity="high", name="syntax-error"),
        make_diagnostic("/elsewhere/outside.py", code="CL101"),
    ]
    report = report_for("sarif", diagnostics, rules)
    return json.loads(render(report)), report


def test_output_validates_against_the_official_schema(rich_log) -> None:
    log, _ = rich_log
    validate(log)


def test_schema_check_is_not_vacuous(rich_log) -> None:
    # The same log with one 0-based column or one non-SARIF level must be rejected.
    log, _ = rich_log
    zero_column = copy.deepcopy(log)
    zero_column["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0
    bad_level = copy.deepcopy(log)
    bad_level["runs"][0]["results"][0]["level"] = "high"
    for broken in (zero_column, bad_level):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)


def test_empty_report_is_valid_and_still_lists_rules(make_rule, report_for) -> None:
    log = json.loads(render(report_for("sarif", [], [make_rule()])))
    validate(log)
    run = log["runs"][0]
    assert run["results"] == []
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["CL101"]


def test_log_header_and_driver(rich_log) -> None:
    log, _ = rich_log
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "cachelint"
    assert driver["version"] == cachelint.__version__
    assert driver["informationUri"] == "https://cachelint.example/rules"


def test_every_enabled_rule_is_described_with_its_docs(rich_log) -> None:
    log, report = rich_log
    described = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    # CL401 has no finding and is described all the same: code scanning shows rule help from here.
    for rule in report.rules:
        entry = described[rule.code]
        assert entry["name"] == rule.name
        assert entry["shortDescription"] == {"text": rule.summary}
        assert entry["fullDescription"]["text"] == rule.what
        assert entry["help"]["markdown"] == rule.docs_markdown()
        assert rule.why in entry["help"]["text"] and rule.fix in entry["help"]["text"]
        assert entry["helpUri"] == rule.url
        assert "prompt-cache" in entry["properties"]["tags"]
    levels = {code: described[code]["defaultConfiguration"]["level"] for code in ("CL101", "CL201", "CL401")}
    assert levels == {"CL101": "error", "CL201": "warning", "CL401": "note"}
    assert "segment:tools" in described["CL201"]["properties"]["tags"]


def test_no_security_severity_anywhere(rich_log) -> None:
    log, _ = rich_log
    assert "security-severity" not in json.dumps(log)


def test_results_point_at_their_rule_and_keep_one_based_regions(rich_log) -> None:
    log, report = rich_log
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(report.diagnostics)
    for result, diagnostic in zip(run["results"], report.diagnostics):
        assert result["ruleId"] == diagnostic.code
        assert rules[result["ruleIndex"]]["id"] == diagnostic.code
        assert result["message"] == {"text": diagnostic.message}
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region == {
            "startLine": diagnostic.location.row,
            "startColumn": diagnostic.location.column,
            "endLine": diagnostic.end_location.row,
            "endColumn": diagnostic.end_location.column,
        }
    clock = find(log, "CL101", "pkg/agent.py")["locations"][0]["physicalLocation"]["region"]
    assert (clock["startLine"], clock["startColumn"], clock["endColumn"]) == (3, 9, 23)


def test_levels_follow_severity(make_diagnostic, report_for, root) -> None:
    path = str(root / "pkg" / "agent.py")
    diagnostics = [
        make_diagnostic(path, start=(row, 1), severity=severity)
        for row, severity in enumerate(("high", "medium", "low", "info"), start=1)
    ]
    log = json.loads(render(report_for("sarif", diagnostics)))
    assert [r["level"] for r in log["runs"][0]["results"]] == ["error", "warning", "note", "note"]


def test_uris_are_repository_relative_under_srcroot(rich_log, root) -> None:
    log, _ = rich_log
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    # Outside the root there is no repository path: an absolute file URI, no base.
    assert uris == [
        {"uri": "file:///elsewhere/outside.py"},
        {"uri": "my%20dir/b.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "pkg/agent.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "pkg/agent.py", "uriBaseId": "%SRCROOT%"},
    ]


def test_relative_filename_is_resolved_against_the_working_directory(make_diagnostic, report_for, root, monkeypatch) -> None:
    # The CLI passes file names as given on the command line, often relative to the cwd.
    monkeypatch.chdir(root / "pkg")
    log = json.loads(render(report_for("sarif", [make_diagnostic("./agent.py")])))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "pkg/agent.py"


def test_related_locations_and_fixes(rich_log) -> None:
    log, _ = rich_log
    clock, tools = find(log, "CL101", "pkg/agent.py"), find(log, "CL201", "pkg/agent.py")
    related = clock["relatedLocations"]
    assert related == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "pkg/agent.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 10, "startColumn": 5},
            },
            "message": {"text": "the value enters `system` here"},
        }
    ]
    assert "fixes" not in clock
    (fix,) = tools["fixes"]
    assert fix["description"] == {"text": "Wrap in `sorted(...)`"}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "pkg/agent.py", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"] == [
        {"deletedRegion": {"startLine": 7, "startColumn": 14, "endLine": 7, "endColumn": 14}, "insertedContent": {"text": "sorted("}},
        {"deletedRegion": {"startLine": 7, "startColumn": 22, "endLine": 7, "endColumn": 22}, "insertedContent": {"text": ")"}},
    ]


def test_finding_of_a_rule_not_in_the_enabled_list_gets_a_descriptor(rich_log) -> None:
    log, _ = rich_log
    run = log["runs"][0]
    (engine_result,) = [r for r in run["results"] if r["ruleId"] == "CL001"]
    descriptor = run["tool"]["driver"]["rules"][engine_result["ruleIndex"]]
    assert descriptor["id"] == "CL001" and descriptor["name"] == "syntax-error"


def test_output_is_deterministic(rich_log) -> None:
    _, report = rich_log
    assert render(report) == render(report)


def test_registered_under_its_format_name() -> None:
    assert renderer("sarif") is render
