"""The command line, through click's runner and through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cachelint import __version__
from cachelint.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/agent"
GOLDEN = Path(__file__).parent / "golden" / "example_agent.json"


def invoke(*args: str):
    old = os.getcwd()
    os.chdir(REPO)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def test_json_output_matches_golden_file() -> None:
    result = invoke("check", "--no-cache", "--output-format", "json", EXAMPLE)
    assert result.exit_code == 1
    got = json.loads(result.stdout)
    if os.environ.get("CACHELINT_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=2) + "\n")
    assert got == json.loads(GOLDEN.read_text())


def test_json_shape_and_order() -> None:
    items = json.loads(invoke("check", "--no-cache", "--output-format", "json", EXAMPLE).stdout)
    assert items == sorted(items, key=lambda d: (d["filename"], d["location"]["row"], d["location"]["column"], d["code"]))
    for item in items:
        assert set(item) == {"code", "name", "message", "severity", "segment", "filename", "location", "end_location", "fix", "url", "related"}
        assert item["severity"] in ("high", "medium", "low", "info")
        assert item["segment"] in ("tools", "system", "messages", "params")
        assert item["related"] and all(set(r) == {"filename", "location", "message"} for r in item["related"])
        assert item["location"]["row"] >= 1 and item["location"]["column"] >= 1


def test_json_lines() -> None:
    result = invoke("check", "--no-cache", "--output-format", "json-lines", EXAMPLE)
    lines = result.stdout.splitlines()
    assert lines and all(json.loads(line)["code"].startswith("CL") for line in lines)
    assert len(lines) == len(json.loads(invoke("check", "--no-cache", "--output-format", "json", EXAMPLE).stdout))


def test_full_output_has_code_frame_and_summary() -> None:
    out = invoke("check", "--no-cache", EXAMPLE).stdout
    assert "examples/agent/agent.py:50:15: CL101 Clock value `datetime.now()`" in out
    assert "50 |         now = datetime.now()" in out
    assert "^^^^^^^^^^^^^^" in out
    assert "= note: examples/agent/agent.py:57:20: enters `system` here" in out
    assert "Found 3 errors in 3 files checked." in out


def test_concise_output_is_one_line_per_finding() -> None:
    out = invoke("check", "--no-cache", "--output-format", "concise", EXAMPLE).stdout.splitlines()
    findings = [line for line in out if ": CL" in line]
    assert len(findings) == 3
    assert all(line.startswith("examples/agent/agent.py:") for line in findings)


def test_statistics() -> None:
    out = invoke("check", "--no-cache", "--statistics", EXAMPLE).stdout
    assert "2\tCL101\t    clock-value-in-prefix" in out
    assert "1\tCL102\t    random-id-in-prefix" in out


def test_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.py"
    clean.write_text("x = 1\n")
    assert invoke("check", "--no-cache", str(clean)).exit_code == 0
    assert invoke("check", "--no-cache", EXAMPLE).exit_code == 1
    assert invoke("check", "--no-cache", "--exit-zero", EXAMPLE).exit_code == 0
    assert invoke("check", "--no-cache", "--output-format", "nope", EXAMPLE).exit_code == 2
    assert invoke("check", "--no-cache", str(tmp_path / "missing.py")).exit_code == 2


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = invoke("check", "--no-cache", "--output-format", "json", "-o", str(target), EXAMPLE)
    assert result.exit_code == 1 and result.stdout == ""
    assert len(json.loads(target.read_text())) == 3


def test_rules_and_rule_commands() -> None:
    listing = invoke("rules").stdout
    assert "CL101  clock-value-in-prefix" in listing and "CL001  syntax-error" in listing
    docs = invoke("rule", "CL101").stdout
    for section in ("## What it does", "## Why is this bad?", "## Example", "Use instead:"):
        assert section in docs
    assert invoke("rule", "clock-value-in-prefix").stdout == docs
    bad = invoke("rule", "CL999")
    assert bad.exit_code == 2 and "unknown rule `CL999`" in bad.stderr


def test_version() -> None:
    assert invoke("--version").stdout.strip() == f"cachelint, version {__version__}"


def test_real_subprocess_and_python_m() -> None:
    for cmd in ([sys.executable, "-m", "cachelint"], [str(Path(sys.executable).parent / "cachelint")]):
        proc = subprocess.run([*cmd, "check", "--no-cache", "--output-format", "concise", EXAMPLE], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1, proc.stderr
        assert proc.stdout.count(": CL1") == 3
    missing = subprocess.run([sys.executable, "-m", "cachelint", "check", "nope.py"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "cachelint: error: nope.py: No such file or directory"
    assert "Traceback" not in missing.stderr


def test_output_file_in_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("check", "--no-cache", "-o", str(tmp_path / "no" / "such" / "out.txt"), EXAMPLE)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "No such file or directory" in result.stderr
