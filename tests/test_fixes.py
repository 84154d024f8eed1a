"""Autofix: the edits of each fixable rule, safety of wraps, the CLI's --fix/--diff/--unsafe-fixes, atomic writes."""

from __future__ import annotations

import ast
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cachelint.catalogue import load_catalogue
from cachelint.cli import main
from cachelint.engine import check_source
from cachelint.fixes import ChangedOnDisk, fix_source, write_atomic
from cachelint.knowledge import load_knowledge

CATALOGUE = load_catalogue()
KNOWLEDGE = load_knowledge()
ENABLED = frozenset(CATALOGUE.by_code())
HEADER = "import glob\nimport json\nimport os\nimport anthropic\nimport requests\nclient = anthropic.Anthropic()\n"
CALL = 'def run(q):\n    return client.messages.create(model="m", max_tokens=5, system=system, messages=[{"role": "user", "content": q}])\n'


def diagnostics(text: str):
    return check_source(text.encode(), "x.py", KNOWLEDGE, CATALOGUE, ENABLED).diagnostics


def fixed(body: str, unsafe: bool = False) -> str:
    return fix_source(HEADER + textwrap.dedent(body) + CALL, diagnostics, unsafe).fixed[len(HEADER) :].removesuffix(CALL)


def test_set_literal_only_iterated_is_wrapped_safely() -> None:
    body = 'SKILLS = {"triage", "refunds"}  # the skills\nsystem = ", ".join(SKILLS)\n'
    assert fixed(body) == 'SKILLS = sorted({"triage", "refunds"})  # the skills\nsystem = ", ".join(SKILLS)\n'


def test_set_also_used_for_membership_is_only_an_unsafe_fix() -> None:
    body = 'SKILLS = {"triage", "refunds"}\nassert "triage" in SKILLS\nsystem = ", ".join(SKILLS)\n'
    [diag] = [d for d in diagnostics(HEADER + body + CALL) if d.code == "CL201"]
    assert diag.fix is not None and diag.fix.applicability == "unsafe"
    assert fixed(body) == body
    assert fixed(body, unsafe=True).startswith('SKILLS = sorted({"triage", "refunds"})\n')


def test_set_operation_is_sorted_as_a_whole_not_per_operand() -> None:
    body = 'def names(a, b):\n    picked = set(a) & set(b)\n    return ", ".join(picked)\nsystem = names([], [])\n'
    assert "picked = sorted(set(a) & set(b))\n" in fixed(body)


def test_set_turned_into_dict_keys_is_sorted_where_it_is_consumed() -> None:
    body = 'system = str(dict.fromkeys({"b", "a"}))\n'
    assert fixed(body) == 'system = str(dict.fromkeys(sorted({"b", "a"})))\n'


def test_listing_inside_join_keeps_its_parentheses_and_comments() -> None:
    body = 'system = "\\n".join(  # files\n    (os.listdir("d"))\n)\n'
    assert fixed(body) == 'system = "\\n".join(  # files\n    (sorted(os.listdir("d")))\n)\n'


def test_json_dumps_gets_sort_keys_in_the_same_layout() -> None:
    one_line = 'data = requests.get("u").json()\nsystem = json.dumps(data, indent=2)\n'
    assert fixed(one_line).endswith("system = json.dumps(data, indent=2, sort_keys=True)\n")
    per_line = 'data = requests.get("u").json()\nsystem = json.dumps(\n    data,\n    indent=2,\n)\n'
    assert fixed(per_line).endswith("system = json.dumps(\n    data,\n    indent=2,\n    sort_keys=True,\n)\n")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = 1  # noqa: CL101, CL102\n", "x = 1  # noqa: CL102\n"),
        ("x = 1  # noqa: CL101\n", "x = 1\n"),
        ("x = 1  # noqa: CL101, E501\n", "x = 1  # noqa: E501\n"),
        ("x = 1  # cachelint: ignore[CL101]\n", "x = 1\n"),
        ("# noqa: CL101\nx = 1\n", "x = 1\n"),
        ("x = 1  # noqa: CL101 -- clock is fine\n", "x = 1  # -- clock is fine\n"),
    ],
)
def test_stale_suppression_codes_are_removed(line: str, expected: str) -> None:
    enabled = frozenset({"CL002", "CL101"})  # CL102 is not enabled, so its code is not judged
    result = fix_source(line, lambda t: check_source(t.encode(), "x.py", KNOWLEDGE, CATALOGUE, enabled).diagnostics, False)
    assert result.fixed == expected


def test_two_stale_codes_on_one_comment_are_one_edit() -> None:
    enabled = frozenset({"CL002", "CL101", "CL102"})
    result = fix_source("x = 1  # noqa: CL101, CL102\n", lambda t: check_source(t.encode(), "x.py", KNOWLEDGE, CATALOGUE, enabled).diagnostics, False)
    assert (result.fixed, result.count) == ("x = 1\n", 2)


def test_write_atomic_keeps_mode_and_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(b"old\n")
    target.chmod(0o751)
    write_atomic(target, b"old\n", b"new\n")
    assert target.read_bytes() == b"new\n" and (target.stat().st_mode & 0o777) == 0o751
    with pytest.raises(ChangedOnDisk):
        write_atomic(target, b"old\n", b"newer\n")
    assert target.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]  # no temporary file left behind


SOURCE = HEADER + 'SKILLS = {"b", "a"}\nsystem = ", ".join(SKILLS) + "\\n".join(glob.glob("*.md"))\n' + CALL


def invoke(tmp_path: Path, *args: str):
    target = tmp_path / "agent.py"
    os.chdir(tmp_path)
    return CliRunner().invoke(main, ["check", "--no-cache", *args, "agent.py"]), target


def test_cli_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "agent.py").write_text(SOURCE)
    result, target = invoke(tmp_path, "--diff")
    assert result.exit_code == 1
    assert "+SKILLS = sorted({\"b\", \"a\"})" in result.output and "sorted(glob.glob(\"*.md\"))" in result.output
    assert target.read_text() == SOURCE


def test_cli_fix_exits_0_when_everything_is_fixed_and_is_idempotent(tmp_path: Path) -> None:
    (tmp_path / "agent.py").write_text(SOURCE)
    result, target = invoke(tmp_path, "--fix")
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert 'sorted({"b", "a"})' in text and 'sorted(glob.glob("*.md"))' in text
    again, _ = invoke(tmp_path, "--fix")
    assert again.exit_code == 0 and target.read_text() == text


def test_cli_fix_exits_1_when_findings_remain(tmp_path: Path) -> None:
    (tmp_path / "agent.py").write_text(SOURCE.replace("SKILLS = ", "import time\nSKILLS = ").replace('system = ", "', 'system = str(time.time()) + ", "'))
    result, target = invoke(tmp_path, "--fix", "--output-format", "concise")
    assert result.exit_code == 1
    assert "CL101" in result.output and "CL201" not in result.output


FRAGMENTS = [
    'A{i} = {{"x{i}", "y{i}"}}\nparts.append(", ".join(A{i}))\n',
    'B{i} = {{"x{i}", "y{i}"}}\nif "x" in B{i}:\n    parts.append(", ".join(B{i}))\n',
    'parts.append("\\n".join(os.listdir("d{i}")))\n',
    'parts.append(" ".join(glob.glob(\n    "*{i}.md"  # pattern\n)))\n',
    'parts.append(json.dumps(requests.get("u{i}").json(), indent={i}))\n',
    'parts.append(str({{k: 1 for k in set(parts)}}))\n',
    'parts.append("static {i}")  # noqa: CL101\n',
]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(range(len(FRAGMENTS))), min_size=1, max_size=6), st.booleans())
def test_fix_output_parses_and_a_second_fix_changes_nothing(choices: list[int], unsafe: bool) -> None:
    body = "parts = []\n" + "".join(FRAGMENTS[c].format(i=i) for i, c in enumerate(choices)) + 'system = "".join(parts)\n'
    first = fix_source(HEADER + body + CALL, diagnostics, unsafe)
    ast.parse(first.fixed)
    second = fix_source(first.fixed, diagnostics, unsafe)
    assert second.fixed == first.fixed and second.count == 0


def test_cli_marks_only_safe_fixes_and_applies_unsafe_ones_on_request(tmp_path: Path) -> None:
    source = HEADER + 'SKILLS = {"b", "a"}\nassert "a" in SKILLS\nsystem = ", ".join(SKILLS)\n' + CALL
    (tmp_path / "agent.py").write_text(source)
    shown, target = invoke(tmp_path, "--output-format", "concise")
    assert "CL201 [*]" not in shown.output and "(1 hidden fix can be enabled with the `--unsafe-fixes` option.)" in shown.output
    kept, _ = invoke(tmp_path, "--fix", "--output-format", "concise")
    assert kept.exit_code == 1 and target.read_text() == source
    fixed_run, _ = invoke(tmp_path, "--fix", "--unsafe-fixes")
    assert fixed_run.exit_code == 0 and 'SKILLS = sorted({"b", "a"})' in target.read_text()


def test_a_fixed_file_reaches_the_disk_before_it_replaces_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from cachelint import fixes

    target = tmp_path / "agent.py"
    target.write_bytes(b"old\n")
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(fixes.os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(fixes.os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    write_atomic(target, b"old\n", b"new\n")
    assert target.read_bytes() == b"new\n"
    # The data before the rename, the directory (the rename itself) after it.
    assert events == ["fsync", "replace", "fsync"]


def test_set_filled_or_combined_later_gets_no_wrap() -> None:
    # `sorted(set())` would break `.add`: the order must be fixed where the set is read.
    body = "REGISTRY = set()\nREGISTRY.add(len)\nsystem = \", \".join(f.__name__ for f in REGISTRY)\n"
    [diag] = [d for d in diagnostics(HEADER + body + CALL) if d.code == "CL201"]
    assert diag.fix is None
    assert fixed(body, unsafe=True) == body
