"""Malformed configuration and rule files: exit 2 naming the file, the line and what is expected;
nothing in them is ever executed; bombs and huge files are refused before they cost anything."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

import cachelint.knowledge
from cachelint.rulefiles import rules_dir
from tests.hardening.support import invoke

SOURCE = "import anthropic\n"

# (file name, content, expected `file:line: message` fragment after the path)
YAML_CASES = [
    ("unknown-key", "selct: [ALL]\n", ":1: unknown key `selct`; allowed keys: select,"),
    ("list-of-ints", "select: [1, 2]\n", ":1: `select` must be a list of strings, got [1, 2]"),
    ("string-not-list", "ignore: CL101\n", ':1: `ignore` must be a list of strings, got "CL101"'),
    ("bad-selector", "select: [ALL]\nignore: [CL9999]\n", ":2: `ignore`: unknown rule selector `CL9999`; expected a rule code"),
    ("bad-name", "extend-select:\n  - no-such-rule\n", ":2: `extend-select`: unknown rule selector `no-such-rule`"),
    ("per-file-not-list", "per-file-ignores:\n  '*.py': CL101\n", ":1: `per-file-ignores` must map glob patterns to lists of rule selectors"),
    ("per-file-bad-code", "per-file-ignores:\n  '*.py': [CL1, XX1]\n", ":2: `per-file-ignores`: unknown rule selector `XX1`"),
    ("output-format", "output-format: xml\n", ":1: `output-format` must be one of full,"),
    ("bool", "respect-gitignore: 'yes'\n", ":1: `respect-gitignore` must be true or false"),
    ("cache-dir", "cache-dir: [a]\n", ":1: `cache-dir` must be a string path"),
    ("extension-not-list", "extend-sources: {call: a.b}\n", ":1: `extend-sources` must be a list of mappings"),
    ("source-unknown-key", "extend-sources:\n  - {call: a.b, rule: CL101, colour: red}\n", ":2: extend-sources[0]: unknown key `colour`; allowed:"),
    ("source-missing-rule", "extend-sources:\n  - {call: a.b}\n", ":2: extend-sources[0]: missing required key `rule`"),
    ("source-bad-rule", "extend-sources:\n  - {call: a.b, rule: CL401}\n", ":2: extend-sources[0]: `rule` must be a CL1xx or CL2xx code, got 'CL401'"),
    ("source-bad-regex", "extend-sources:\n  - {call: a.b, rule: CL101, arg-matches: '(('}\n", ":2: extend-sources[0]: `arg-matches` is not a valid regular expression"),
    ("source-in-place-method", "extend-sources:\n  - {method: mix, rule: CL102, in-place: true}\n", ":2: extend-sources[0]: `in-place` needs `call`"),
    ("source-in-place-not-bool", "extend-sources:\n  - {call: a.mix, rule: CL102, in-place: 1}\n", ":2: extend-sources[0]: `in-place` must be true or false"),
    ("source-except-args-zero", "extend-sources:\n  - {call: a.now, rule: CL101, except-args: 0}\n", ":2: extend-sources[0]: `except-args` must be true, false or a number of arguments (1 or more)"),
    ("sink-no-arguments", "extend-sinks:\n  - {id: x, methods: [a.b], arguments: []}\n", ":2: extend-sinks[0]: `arguments` must be a non-empty list"),
    ("sink-bad-segment", "extend-sinks:\n  - id: x\n    methods: [a.b]\n    arguments:\n      - {name: p, segment: header}\n", ":5: extend-sinks[0]: `segment` must be one of"),
    ("sink-bad-position", "extend-sinks:\n  - {id: x, methods: [a.b], arguments: [{name: p, segment: system, position: -1}]}\n", ":2: extend-sinks[0]: `position` must be a non-negative integer"),
    ("sanitizer-both", "extend-sanitizers:\n  - {call: a, method: b}\n", ":2: extend-sanitizers[0]: a sanitizer needs exactly one of `call` or `method`"),
    ("not-a-mapping", "- select\n- ALL\n", ":1: configuration must be a mapping of keys"),
    ("invalid-yaml", "select: [ALL\nignore: []\n", ":2: invalid YAML: did not find expected ',' or ']'"),
    ("tab-indent", "select:\n\t- ALL\n", ":2: invalid YAML:"),
    ("complex-key", "? [a, b]\n: 1\n", ":1: mapping keys must be plain scalars"),
    ("alias", "a: &x [ALL]\nselect: *x\n", ":1: YAML anchors and aliases are not supported"),
    ("merge-key", "base: {select: [ALL]}\n<<: {ignore: []}\n", ":2: YAML merge keys (<<) are not supported"),
    # Python 3.12 no longer counts C recursion against the Python limit: the list is read, and is
    # then refused for what it holds.
    ("deep", "select: " + "[" * 900 + "]" * 900 + "\n", ": invalid YAML: nested too deeply" if sys.version_info < (3, 12) else ":1: `select` must be a list of strings"),
    ("deeper", "select: " + "[" * 100_000 + "]" * 100_000 + "\n", ":1: invalid YAML: exceeded maximum nesting depth"),
]


TOML_CASES = [
    ("unknown-key", "[tool.cachelint]\nselect = ['ALL']\nignores = []\n", ":3: unknown key `ignores`"),
    ("wrong-type", "[tool.cachelint]\n\nselect = 'ALL'\n", ':3: `select` must be a list of strings, got "ALL"'),
    # tomli (Python 3.10) places the end of the document on the line after the last newline.
    ("invalid-toml", "[tool.cachelint]\nselect = [\n", f":{2 if sys.version_info >= (3, 11) else 3}: invalid TOML: Invalid value (at end of document)"),
    ("not-a-table", "[tool]\ncachelint = 1\n[tool.cachelint.x]\n", ":3: invalid TOML: Cannot overwrite a value"),
    ("deep", "[tool.cachelint]\nselect = " + "[" * 100_000 + "]" * 100_000 + "\n", ": invalid TOML: nested too deeply"),
]


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [pytest.param("cachelint.yaml", c, e, id=f"yaml-{i}") for i, c, e in YAML_CASES]
    + [pytest.param("pyproject.toml", c, e, id=f"toml-{i}") for i, c, e in TOML_CASES],
)
def test_malformed_config(tmp_path: Path, filename: str, content: str, expected: str) -> None:
    (tmp_path / filename).write_text(content)
    (tmp_path / "a.py").write_text(SOURCE)
    result = invoke("check", "--no-cache", str(tmp_path / "a.py"))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"cachelint: error: {tmp_path / filename}{expected}"), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_tool_that_is_not_a_table(tmp_path: Path) -> None:
    # Before the fix: AttributeError traceback and exit 1.
    (tmp_path / "conf.toml").write_text("tool = 1\n")
    result = invoke("check", "--no-cache", "--config", str(tmp_path / "conf.toml"), str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"cachelint: error: {tmp_path / 'conf.toml'}: `[tool.cachelint]` must be a table\n"


@pytest.mark.parametrize(
    "content",
    [
        "select: !!python/object/apply:os.system ['touch {marker}']\n",
        "extend-sources: !!python/object/apply:os.system {{args: ['touch {marker}']}}\n",
        "select: [!!python/object/new:os.system ['touch {marker}']]\n",
        "cache-dir: !!python/name:os.system\n",
        "select: !!binary aGVsbG8=\n",
    ],
    ids=["apply-sequence", "apply-mapping", "new-scalar", "name", "binary"],
)
def test_nothing_in_a_config_file_is_executed(tmp_path: Path, content: str) -> None:
    marker = tmp_path / "executed"
    (tmp_path / "cachelint.yaml").write_text(content.format(marker=marker))
    (tmp_path / "a.py").write_text(SOURCE)
    result = invoke("check", "--no-cache", str(tmp_path / "a.py"))
    assert result.exit_code == 2 and str(tmp_path / "cachelint.yaml") in result.stderr
    assert not marker.exists()


def test_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    lines = ["a0: &a0 [ALL, ALL, ALL, ALL, ALL, ALL, ALL, ALL, ALL]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (tmp_path / "cachelint.yaml").write_text("\n".join(lines) + "\nselect: *a9\n")
    (tmp_path / "a.py").write_text(SOURCE)
    start = time.perf_counter()
    result = invoke("check", "--no-cache", str(tmp_path / "a.py"))
    assert time.perf_counter() - start < 10
    assert result.exit_code == 2 and "YAML anchors and aliases are not supported" in result.stderr


def test_huge_config_is_refused_before_parsing(tmp_path: Path) -> None:
    (tmp_path / "cachelint.yaml").write_text("select: [" + ", ".join(["CL101"] * 500_000) + "]\n")
    (tmp_path / "a.py").write_text(SOURCE)
    result = invoke("check", "--no-cache", str(tmp_path / "a.py"))
    assert result.exit_code == 2
    assert result.stderr == f"cachelint: error: {tmp_path / 'cachelint.yaml'}: file is larger than 2048 KiB\n"


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "cachelint.yaml").write_bytes(b"select: [\xff\xfe]\n")
    (tmp_path / "a.py").write_text(SOURCE)
    result = invoke("check", "--no-cache", str(tmp_path / "a.py"))
    assert result.exit_code == 2
    assert result.stderr == f"cachelint: error: {tmp_path / 'cachelint.yaml'}: file is not valid UTF-8\n"


# Rule files: the shipped knowledge is validated at load time in the same way.
RULE_CASES = [
    ("sources.yaml", "sources:\n  - {call: time.time, rule: CL101, granularity: fortnight}\n", ":2: sources[0]: `granularity` must be one of"),
    ("sources.yaml", "sources: {call: time.time}\n", ":1: expected a top-level `sources:` list"),
    ("sinks.yaml", "sinks:\n  - {id: x, methods: [a.b], arguments: [{name: p}]}\nshapes: []\n", ":2: sinks[0]: missing required key `segment`"),
    ("sanitizers.yaml", "sanitizers: []\npropagators:\n  - {call: str.join, keeps: everything}\n", ":3: propagators[0]: `keeps` must be one of structure, elements, text"),
    ("sanitizers.yaml", "sanitizers: [\n", ":2: invalid YAML:"),
]


@pytest.mark.parametrize(("name", "content", "expected"), RULE_CASES, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(RULE_CASES)])
def test_malformed_rule_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str, expected: str) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    (rules / name).write_text(content)
    monkeypatch.setattr(cachelint.knowledge, "rules_dir", lambda: rules)
    (tmp_path / "a.py").write_text(SOURCE)
    result = invoke("check", "--no-cache", str(tmp_path / "a.py"))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"cachelint: error: {rules / name}{expected}"), result.stderr
