"""CL410 in config files: `.env`, Claude Code settings, compose files and GitHub workflows.

Each format's parser, suppressions, bad input (CL003, never a traceback), discovery under the
usual exclusions, the CLI's output formats and exit codes, the result cache and the process pool,
and that `--fix` / `--add-noqa` never break these files.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cachelint.cache import ResultCache
from cachelint.catalogue import load_catalogue
from cachelint.checks.configfiles import check_config, config_kind
from cachelint.cli import main
from cachelint.config import CliOverrides, SettingsResolver
from cachelint.diagnostics import Diagnostic
from cachelint.discovery import discover
from cachelint.runner import POOL_MIN_FILES, check_candidates
from cachelint.switches import parse_switch_doc
from cachelint.yamlfile import DataError, load_yaml_text
from tests.helpers import expected

ALL = frozenset(load_catalogue().by_code())


def config_findings(text: str, name: str, enabled: frozenset[str] = ALL) -> list[Diagnostic]:
    kind = config_kind(Path(name))
    assert kind is not None, name
    return check_config(textwrap.dedent(text).encode(), name, kind, load_catalogue(), enabled).diagnostics


def rows(text: str, name: str) -> list[tuple[int, str]]:
    return sorted((d.location.row, d.code) for d in config_findings(text, name))


# ---------------------------------------------------------------------- the catalogue's config examples
EXAMPLES = [
    pytest.param(rule.code, example, id=f"{rule.code}-{'valid' if example.valid else 'invalid'}-{example.file}-{i}")
    for rule in load_catalogue().rules
    for i, example in enumerate(rule.examples)
    if not example.file.endswith(".py")
]


@pytest.mark.parametrize(("code", "example"), EXAMPLES)
def test_catalogue_config_example(code: str, example) -> None:
    found = rows(example.code, example.file)
    if example.valid:
        assert [f for f in found if f[1] == code] == []
    else:
        assert found == expected(example.code)
    assert not any("line " in d.message for d in config_findings(example.code, example.file))


def test_there_are_config_examples_of_both_kinds() -> None:
    assert {e.values[1].valid for e in EXAMPLES} == {True, False}


# ---------------------------------------------------------------------- which files are config files
@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".env", "dotenv"),
        ("deploy/.env.production", "dotenv"),
        ("bedrock.env", "dotenv"),
        (".claude/settings.json", "claude-settings"),
        ("home/.claude/settings.local.json", "claude-settings"),
        ("etc/claude-code/managed-settings.json", "claude-settings"),
        ("compose.yaml", "compose"),
        ("svc/docker-compose.override.yml", "compose"),
        (".github/workflows/review.yml", "workflow"),
        ("settings.json", None),  # anybody's settings
        (".vscode/settings.json", None),
        ("ci/workflows/review.yml", None),
        (".envrc", None),
        (".env.py", None),  # Python, whatever its name
        ("config.yaml", None),
    ],
)
def test_config_kind(path: str, kind: str | None) -> None:
    assert config_kind(Path(path)) == kind


# ---------------------------------------------------------------------- .env files
def test_dotenv_forms_values_and_spans() -> None:
    text = """\
        # Claude Code on Bedrock
        CLAUDE_CODE_USE_BEDROCK=1
        export DISABLE_PROMPT_CACHING=1
        DISABLE_PROMPT_CACHING_HAIKU = "TRUE"  # inline comment
        DISABLE_PROMPT_CACHING_SONNET='yes'
        DISABLE_PROMPT_CACHING_OPUS=0
        DISABLE_PROMPT_CACHING_FABLE=
        # DISABLE_PROMPT_CACHING=1
        NOTE="not # a comment"
        """
    found = config_findings(text, ".env")
    assert [(d.location.row, d.location.column, d.end_location.column) for d in found] == [(3, 8, 32), (4, 1, 38), (5, 1, 36)]
    assert all(d.code == "CL410" and d.severity == "medium" and d.segment is None and d.fix is None for d in found)
    assert "every model" in found[0].message and "in an env file" in found[0].message and "0.1x" in found[0].message
    assert "'TRUE'" in found[1].message and "Haiku models" in found[1].message


def test_dotenv_multiline_value_sets_nothing_inside() -> None:
    text = '''\
        CERT="-----BEGIN-----
        DISABLE_PROMPT_CACHING=1
        -----END-----"
        DISABLE_PROMPT_CACHING_OPUS=on
        '''
    assert rows(text, ".env") == [(4, "CL410")]


def test_dotenv_suppressions_and_unused_ones() -> None:
    text = """\
        DISABLE_PROMPT_CACHING=1  # noqa: CL410
        # cachelint: ignore[CL410]
        DISABLE_PROMPT_CACHING_HAIKU=1
        DISABLE_PROMPT_CACHING_OPUS=1  # noqa: E501
        DISABLE_PROMPT_CACHING_SONNET=0  # noqa: CL410
        """
    found = config_findings(text, ".env")
    assert sorted((d.location.row, d.code) for d in found) == [(4, "CL410"), (5, "CL002")]
    unused = next(d for d in found if d.code == "CL002")
    assert unused.location.column == 34 and unused.fix is None


def test_rule_not_enabled_reports_nothing() -> None:
    assert config_findings("DISABLE_PROMPT_CACHING=1  # noqa: CL410\n", ".env", frozenset({"CL002", "CL003"})) == []


# ---------------------------------------------------------------------- Claude Code settings
def test_settings_env_positions_and_json_values() -> None:
    text = """\
        {
          "model": "claude-sonnet-4-5",
          "permissions": {"env": {"DISABLE_PROMPT_CACHING": "1"}},
          "env": {
            "CLAUDE_CODE_USE_BEDROCK": "1",
            "DISABLE_PROMPT_CACHING": "1",
            "DISABLE_PROMPT_CACHING_OPUS": true,
            "DISABLE_PROMPT_CACHING_HAIKU": 1,
            "DISABLE_PROMPT_CACHING_SONNET": false
          }
        }
        """
    found = config_findings(text, ".claude/settings.json")
    assert [(d.location.row, d.location.column, d.end_location.column) for d in found] == [(6, 5, 34), (7, 5, 40), (8, 5, 38)]
    assert "in the `env` of Claude Code's settings" in found[0].message


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        # A trailing comma: Python 3.13's json points at the comma, earlier ones at what follows.
        ('{ "env": { "DISABLE_PROMPT_CACHING": "1", }', 1, 41 if sys.version_info >= (3, 13) else 43),
        ("{\n  // a comment\n}", 2, 3),
        ("", 1, 1),
        ("[" * 100_000, 1, 1),  # nested too deeply for Python's json
    ],
)
def test_settings_that_are_not_json_are_cl003_at_the_error(text: str, row: int, column: int) -> None:
    [diag] = config_findings(text, ".claude/settings.json")
    assert diag.code == "CL003" and "not analysed" in diag.message
    assert (diag.location.row, diag.location.column) == (row, column)


@pytest.mark.parametrize("text", ['["env"]', '{"env": ["DISABLE_PROMPT_CACHING=1"]}', '{"env": null}', '"text"'])
def test_settings_of_another_shape_have_nothing_to_report(text: str) -> None:
    assert config_findings(text, ".claude/settings.json") == []


def test_undecodable_file_is_cl003() -> None:
    [diag] = check_config(b"DISABLE_PROMPT_CACHING=\xff\n", ".env", "dotenv", load_catalogue(), ALL).diagnostics
    assert diag.code == "CL003" and "UTF-8" in diag.message


# ---------------------------------------------------------------------- compose files and workflows
def test_compose_mapping_list_anchor_and_merge() -> None:
    text = """\
        x-claude: &claude
          DISABLE_PROMPT_CACHING: 1
        services:
          reviewer:
            environment:
              <<: *claude
              CLAUDE_CODE_USE_BEDROCK: "1"
          triage:
            environment: *claude
          fixer:
            environment:
              - DISABLE_PROMPT_CACHING_SONNET=true  # cachelint: ignore[CL410]
              - "DISABLE_PROMPT_CACHING_OPUS=yes"
              - DISABLE_PROMPT_CACHING_HAIKU=false
              - DISABLE_PROMPT_CACHING
          web:
            image: nginx
            labels: {DISABLE_PROMPT_CACHING: "1"}
        """
    found = config_findings(text, "docker-compose.yml")
    # The anchored block is reported once, where it is written; `labels` are not the environment.
    assert [(d.location.row, d.location.column) for d in found] == [(2, 3), (13, 9)]
    assert all(d.code == "CL410" for d in found) and "compose service" in found[0].message


def test_workflow_env_at_every_level() -> None:
    text = """\
        name: review
        on: [pull_request]
        env:
          DISABLE_PROMPT_CACHING: "1"
        jobs:
          review:
            runs-on: ubuntu-latest
            environment: production
            env:
              DISABLE_PROMPT_CACHING_HAIKU: ${{ vars.NO_CACHE }}
            steps:
              - uses: anthropics/claude-code-action@v1
                env:
                  # noqa: CL410
                  DISABLE_PROMPT_CACHING_OPUS: 'on'
                  DISABLE_PROMPT_CACHING_SONNET: on # it's on
        """
    assert rows(text, ".github/workflows/review.yml") == [(4, "CL410"), (16, "CL410")]


def test_yaml_that_does_not_parse_is_cl003() -> None:
    [diag] = config_findings("services:\n  a: [unclosed\n", "compose.yaml")
    assert diag.code == "CL003" and diag.message.startswith("Not valid YAML") and diag.location.row == 3


# ---------------------------------------------------------------------- the switch names are data
def test_switches_file_is_validated() -> None:
    with pytest.raises(DataError, match="`truthy` must be a non-empty list of quoted strings"):
        parse_switch_doc(load_yaml_text(
            "clients:\n  - client: X\n    truthy: [1]\n    switches: {A: all}\n    source: https://x\n    date: 2026-01-01\n", "s.yaml"
        ))


# ---------------------------------------------------------------------- discovery, CLI, cache, pool
AGENT = """\
import os
import anthropic

os.environ["DISABLE_PROMPT_CACHING"] = "1"
client = anthropic.Anthropic()

def ask(q):
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=9, messages=[{"role": "user", "content": q}])
"""


def tree(root: Path) -> Path:
    files = {
        ".env": "DISABLE_PROMPT_CACHING=1\n",
        ".claude/settings.json": '{"env": {"DISABLE_PROMPT_CACHING_OPUS": "1"}}\n',
        ".claude/settings.local.json": '{"env": {"DISABLE_PROMPT_CACHING": "1",}}\n',
        ".github/workflows/review.yml": "on: push\nenv:\n  DISABLE_PROMPT_CACHING: '1'\n",
        "svc/compose.yaml": "services:\n  a:\n    environment: [DISABLE_PROMPT_CACHING=1]\n",
        ".vscode/settings.json": '{"env": {"DISABLE_PROMPT_CACHING": "1"}}\n',
        "build/.env": "DISABLE_PROMPT_CACHING=1\n",  # excluded by default
        "agent.py": AGENT,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def invoke(cwd: Path, *args: str):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def test_discovered_under_the_checked_paths_with_the_usual_exclusions(tmp_path: Path) -> None:
    tree(tmp_path)
    result = invoke(tmp_path, "check", "--no-cache", "--output-format", "json", ".")
    assert result.exit_code == 1, result.output
    items = json.loads(result.stdout)
    assert sorted({(i["filename"], i["code"]) for i in items}) == [
        (".claude/settings.json", "CL410"),
        (".claude/settings.local.json", "CL003"),
        (".env", "CL410"),
        (".github/workflows/review.yml", "CL410"),
        ("agent.py", "CL410"),
        ("svc/compose.yaml", "CL410"),
    ]
    # Ruff's keys and cachelint's, as for any finding.
    assert set(items[0]) == {"code", "name", "message", "severity", "segment", "filename", "location", "end_location", "fix", "url", "related"}


def test_gitignored_env_is_skipped_unless_named(tmp_path: Path) -> None:
    tree(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(".env\n")
    walked = invoke(tmp_path, "check", "--no-cache", "--output-format", "json", ".")
    assert ".env" not in {i["filename"] for i in json.loads(walked.stdout)}
    named = invoke(tmp_path, "check", "--no-cache", "--output-format", "json", ".env")
    assert [i["code"] for i in json.loads(named.stdout)] == ["CL410"]


def test_not_picked_up_when_no_rule_reads_them(tmp_path: Path) -> None:
    tree(tmp_path)
    resolver = SettingsResolver(load_catalogue(), CliOverrides(select=["CL1"]))
    assert [c.display for c in discover([str(tmp_path)], resolver)] == [str(tmp_path / "agent.py")]
    assert "1 file checked" in invoke(tmp_path, "check", "--no-cache", "--select", "CL1", ".").stdout


def test_per_file_ignores_silence_json_settings(tmp_path: Path) -> None:
    tree(tmp_path)
    (tmp_path / "cachelint.yaml").write_text("per-file-ignores:\n  '.claude/*.json': [CL410, CL003]\n")
    names = {i["filename"] for i in json.loads(invoke(tmp_path, "check", "--no-cache", "--output-format", "json", ".").stdout)}
    assert not any(name.startswith(".claude/") for name in names) and ".env" in names


@pytest.mark.parametrize("fmt", ["full", "concise", "sarif", "github", "json-lines"])
def test_output_formats_and_no_traceback(tmp_path: Path, fmt: str) -> None:
    tree(tmp_path)
    result = invoke(tmp_path, "check", "--no-cache", "--output-format", fmt, ".")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ".claude/settings.json" in result.stdout


def test_sarif_for_config_findings_validates(tmp_path: Path) -> None:
    from tests.formats.test_sarif import validate

    tree(tmp_path)
    log = json.loads(invoke(tmp_path, "check", "--no-cache", "--output-format", "sarif", ".").stdout)
    validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert {".env", ".claude/settings.json", "svc/compose.yaml"} <= uris


def test_exit_zero_when_every_switch_is_off(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DISABLE_PROMPT_CACHING=0\nDISABLE_PROMPT_CACHING_OPUS=false\n")
    result = invoke(tmp_path, "check", "--no-cache", ".")
    assert result.exit_code == 0 and "All checks passed! (1 file checked)" in result.stdout


def test_fix_and_diff_never_touch_config_files(tmp_path: Path) -> None:
    tree(tmp_path)
    (tmp_path / ".env").write_text("DISABLE_PROMPT_CACHING=1\nDISABLE_PROMPT_CACHING_OPUS=0  # noqa: CL410\n")  # a stale noqa (CL002)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    fixed = invoke(tmp_path, "check", "--no-cache", "--fix", ".")
    assert fixed.exit_code == 1 and "Traceback" not in fixed.output
    assert invoke(tmp_path, "check", "--no-cache", "--diff", ".").exit_code == 0
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_add_noqa_comments_env_and_yaml_but_not_json(tmp_path: Path) -> None:
    tree(tmp_path)
    settings = (tmp_path / ".claude/settings.json").read_bytes()
    result = invoke(tmp_path, "check", "--no-cache", "--add-noqa", ".")
    assert result.exit_code == 0 and ".claude/settings.json: JSON has no comments" in result.stderr
    assert (tmp_path / ".claude/settings.json").read_bytes() == settings
    assert (tmp_path / ".env").read_text() == "DISABLE_PROMPT_CACHING=1  # noqa: CL410\n"
    after = json.loads(invoke(tmp_path, "check", "--no-cache", "--output-format", "json", ".").stdout)
    assert sorted(i["filename"] for i in after) == [".claude/settings.json", ".claude/settings.local.json"]


def run(root: Path, cache_dir: Path | None, jobs: int = 1) -> list[dict]:
    catalogue = load_catalogue()
    candidates = discover([str(root)], SettingsResolver(catalogue, CliOverrides()))
    result = check_candidates(candidates, catalogue, None if cache_dir is None else ResultCache(cache_dir), jobs)
    assert result.internal_errors == []
    return [d.to_json() for d in result.diagnostics]


def test_cached_results_equal_uncached_and_follow_edits(tmp_path: Path) -> None:
    root = tree(tmp_path / "project")
    cache_dir = tmp_path / "cache"
    cold = run(root, None)
    assert run(root, cache_dir) == cold  # writes the cache
    assert run(root, cache_dir) == cold  # reads it
    (root / ".env").write_text("DISABLE_PROMPT_CACHING=0\n")
    assert [d for d in run(root, cache_dir) if d["filename"].endswith("/.env")] == []


def test_pool_reports_what_a_serial_run_reports(tmp_path: Path) -> None:
    root = tree(tmp_path)
    for i in range(POOL_MIN_FILES):
        (root / f"svc{i}.env").write_text(f"DISABLE_PROMPT_CACHING={i % 2}\n")
        (root / f"mod{i}.py").write_text(AGENT)
    assert run(root, None, jobs=2) == run(root, None, jobs=1)
