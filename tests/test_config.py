"""Configuration discovery, selectors, exclusions and errors (exit 2 naming file, key, line)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cachelint.cli import main

BUSTER = 'import anthropic, time, uuid\nclient = anthropic.Anthropic()\nclient.messages.create(model="m", max_tokens=1, system=f"{time.time()} {uuid.uuid4()}", messages=[])\n'


def run(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, ["check", "--no-cache", "--output-format", "concise", *args])
    with runner.isolated_filesystem(temp_dir=cwd):
        pass
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, ["check", "--no-cache", "--output-format", "concise", *args])
    finally:
        os.chdir(old)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_pyproject_select(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.cachelint]\nselect = ["CL102"]\n')
    write(tmp_path / "app.py", BUSTER)
    result = run(str(tmp_path))
    assert "CL102" in result.output and "CL101" not in result.output


def test_yaml_config_and_rule_names(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "ignore: [random-id-in-prefix]\n")
    write(tmp_path / "app.py", BUSTER)
    result = run(str(tmp_path))
    assert "CL101" in result.output and "CL102" not in result.output


def test_prefix_selector_and_cli_overrides(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "select: [CL102]\n")
    write(tmp_path / "app.py", BUSTER)
    assert "CL101" in run("--select", "CL1", str(tmp_path)).output
    assert "CL101" in run("--extend-select", "CL101", str(tmp_path)).output
    assert "CL102" not in run("--ignore", "CL102", str(tmp_path)).output


def test_closest_config_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.cachelint]\nselect = ["CL101"]\n')
    write(tmp_path / "sub" / ".cachelint.yaml", "select: [CL102]\n")
    write(tmp_path / "top.py", BUSTER)
    write(tmp_path / "sub" / "inner.py", BUSTER)
    out = run(str(tmp_path)).output
    assert "top.py:3:" in out and "inner.py:3:" in out
    top = [line for line in out.splitlines() if "top.py" in line]
    inner = [line for line in out.splitlines() if "inner.py" in line]
    assert all("CL101" in line for line in top) and all("CL102" in line for line in inner)


def test_pyproject_without_table_is_not_a_config(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "select: [CL102]\n")
    write(tmp_path / "pkg" / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "pkg" / "app.py", BUSTER)
    out = run(str(tmp_path)).output
    assert "CL102" in out and "CL101" not in out


def test_explicit_config_overrides_discovery(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "select: [CL102]\n")
    other = write(tmp_path / "other.yaml", "select: [CL101]\n")
    write(tmp_path / "app.py", BUSTER)
    out = run("--config", str(other), str(tmp_path)).output
    assert "CL101" in out and "CL102" not in out


def test_per_file_ignores(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "per-file-ignores:\n  'scripts/*': [CL1]\n")
    write(tmp_path / "scripts" / "once.py", BUSTER)
    write(tmp_path / "app.py", BUSTER)
    out = run(str(tmp_path)).output
    assert "app.py:3:" in out and "once.py" not in out


def test_exclude_and_default_excludes(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "extend-exclude: [generated, 'legacy/old_*.py']\n")
    write(tmp_path / "generated" / "a.py", BUSTER)
    write(tmp_path / "legacy" / "old_agent.py", BUSTER)
    write(tmp_path / "legacy" / "new_agent.py", BUSTER)
    write(tmp_path / ".venv" / "lib" / "x.py", BUSTER)
    write(tmp_path / "node_modules" / "y.py", BUSTER)
    out = run(str(tmp_path)).output
    assert "new_agent.py" in out
    for hidden in ("generated", "old_agent", ".venv", "node_modules"):
        assert hidden not in out


def test_gitignore_is_honoured_inside_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".gitignore", "ignored_dir/\n*_gen.py\n!keep_gen.py\n")
    write(tmp_path / "ignored_dir" / "a.py", BUSTER)
    write(tmp_path / "drop_gen.py", BUSTER)
    write(tmp_path / "keep_gen.py", BUSTER)
    write(tmp_path / "app.py", BUSTER)
    out = run(str(tmp_path)).output
    assert "app.py" in out and "keep_gen.py" in out
    assert "ignored_dir" not in out and "drop_gen.py" not in out


def test_explicit_file_is_checked_unless_force_exclude(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "extend-exclude: [vendored]\n")
    target = write(tmp_path / "vendored" / "lib.py", BUSTER)
    assert "lib.py:3:" in run(str(target)).output
    result = run("--force-exclude", str(target))
    assert result.exit_code == 0 and "lib.py" not in result.output


def test_missing_path_is_a_usage_error() -> None:
    result = run("no/such/path.py")
    assert result.exit_code == 2
    assert "no/such/path.py: No such file or directory" in result.stderr


def test_unknown_key_names_file_line_and_allowed_keys(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.cachelint]\nselect = ["CL1"]\nselcet = ["CL101"]\n')
    write(tmp_path / "app.py", BUSTER)
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'pyproject.toml'}:6: unknown key `selcet`" in result.stderr
    assert "allowed keys: select" in result.stderr


def test_bad_value_types(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "select: CL101\n")
    write(tmp_path / "app.py", BUSTER)
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "cachelint.yaml:1: `select` must be a list of strings" in result.stderr


def test_unknown_rule_code_in_config(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "select:\n  - CL101\n  - CL999\n")
    write(tmp_path / "app.py", BUSTER)
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "cachelint.yaml:3: `select`: unknown rule selector `CL999`" in result.stderr


def test_unknown_rule_code_on_command_line(tmp_path: Path) -> None:
    write(tmp_path / "app.py", BUSTER)
    result = run("--select", "nope", str(tmp_path))
    assert result.exit_code == 2 and "--select: unknown rule selector `nope`" in result.stderr


def test_invalid_toml_and_yaml(tmp_path: Path) -> None:
    write(tmp_path / "a" / "pyproject.toml", "[tool.cachelint\nselect = 1\n")
    write(tmp_path / "a" / "x.py", BUSTER)
    write(tmp_path / "b" / "cachelint.yaml", "select: [CL101\n")
    write(tmp_path / "b" / "x.py", BUSTER)
    a = run(str(tmp_path / "a"))
    b = run(str(tmp_path / "b"))
    # The `[tool.cachelint` header is broken, so the file is not recognised as a config.
    assert a.exit_code == 1
    assert b.exit_code == 2 and "cachelint.yaml:2: invalid YAML" in b.stderr


def test_bad_output_format_in_config(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "output-format: xml\n")
    write(tmp_path / "app.py", BUSTER)
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "`output-format` must be one of full, concise" in result.stderr


def test_extend_sources_from_config(tmp_path: Path) -> None:
    write(
        tmp_path / "cachelint.yaml",
        """\
        extend-sources:
          - {call: mylib.clock.now, rule: CL101, kind: clock, granularity: second}
        """,
    )
    write(tmp_path / "app.py", 'import anthropic\nfrom mylib import clock\nc = anthropic.Anthropic()\nc.messages.create(model="m", max_tokens=1, system=f"{clock.now()}", messages=[])\n')
    result = run(str(tmp_path))
    assert result.exit_code == 1 and "app.py:4:" in result.output and "CL101" in result.output


def test_extend_sinks_from_config(tmp_path: Path) -> None:
    write(
        tmp_path / "cachelint.yaml",
        """\
        extend-sinks:
          - id: in-house gateway
            methods: [gateway.complete]
            requires: [prompt]
            arguments:
              - {name: prompt, segment: system}
        """,
    )
    write(tmp_path / "app.py", "import time\nfrom llm import gateway\ngateway.complete(prompt=f'{time.time()}')\n")
    result = run(str(tmp_path))
    assert result.exit_code == 1 and "app.py:3:" in result.output


def test_bad_extension_entry_names_line_and_key(tmp_path: Path) -> None:
    write(
        tmp_path / "cachelint.yaml",
        """\
        extend-sinks:
          - id: broken
            methods: [x.y]
            arguments:
              - {name: prompt, segment: header}
        """,
    )
    write(tmp_path / "app.py", BUSTER)
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert "cachelint.yaml:5: extend-sinks[0]: `segment` must be one of tools, system, messages, params" in result.stderr


@pytest.mark.parametrize(
    ("rel", "patterns", "expected"),
    [
        ("src/pkg/build", ("build",), True),  # no `/`: the entry's name
        ("src/pkg/build.py", ("build",), False),
        ("src/gen_api.py", ("gen_*.py",), True),
        ("legacy/old_a.py", ("legacy/old_*.py",), True),  # with `/`: the path from the root
        ("src/legacy/old_a.py", ("legacy/old_*.py",), False),
        ("src/docs", ("docs/",), True),  # a trailing `/` is ignored: the walk prunes the folder
        ("docs/api/x.py", ("./docs/api",), True),
        ("a/b/fixtures/x.py", ("**/fixtures/*",), True),
        ("fixtures/x.py", ("**/fixtures/*",), True),
        ("a/b/c.py", ("x", "y/*", "*.txt"), False),
        ("a/b/c.txt", ("x", "y/*", "*.txt"), True),
        ("a/[b]", ("[[]b]",), True),  # glob character classes, not regular expressions
        ("a/b+c", ("b+c",), True),
        ("a/bbc", ("b+c",), False),
    ],
)
def test_exclude_patterns_match_as_ruff_does(rel: str, patterns: tuple[str, ...], expected: bool) -> None:
    from cachelint.config import glob_match_any

    assert glob_match_any(rel, patterns) is expected


def test_a_tagged_value_yaml_cannot_convert_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / "cachelint.yaml", "select: [CL101]\nmax-file-size: !!int nope\n")
    write(tmp_path / "x.py", BUSTER)
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "cachelint.yaml:2: invalid value for tag:yaml.org,2002:int" in result.stderr
    assert "internal error" not in result.stderr
