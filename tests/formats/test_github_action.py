"""`action.yml`: the composite GitHub Action's inputs, and its scripts run against a stand-in cachelint."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ACTION = yaml.safe_load((Path(__file__).resolve().parents[2] / "action.yml").read_text(encoding="utf-8"))
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}


def run_step(step: dict[str, Any], tmp_path: Path, inputs: dict[str, str]) -> list[list[str]]:
    """Run a step's script with bash as the runner would; returns the argv of each cachelint call."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    calls = tmp_path / "calls"
    fake = bin_dir / "cachelint"
    # Records its arguments one per line, calls separated by a blank line.
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{calls}"\necho >> "{calls}"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ)
    for name, expression in step.get("env", {}).items():
        key = expression.removeprefix("${{ ").removesuffix(" }}")
        env[name] = str(bin_dir) if key == "steps.install.outputs.bin" else inputs[key.removeprefix("inputs.")]
    result = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return [call.splitlines() for call in calls.read_text().split("\n\n") if call]


def test_is_a_composite_action_with_the_documented_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert inputs["args"]["default"] == "."
    assert inputs["output-format"]["default"] == "github"
    assert inputs["sarif-file"]["default"] == ""
    install = STEPS["Install cachelint"]["run"]
    assert '-m pip install' in install and '"$GITHUB_ACTION_PATH"' in install


def test_inputs_never_appear_in_script_text() -> None:
    # `${{ inputs.x }}` inside `run:` is pasted into the script before bash sees it: shell injection.
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], step["name"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_check_step_passes_format_and_split_args(tmp_path: Path) -> None:
    calls = run_step(STEPS["Run cachelint"], tmp_path, {"args": "src  tests --select CL1", "output-format": "github"})
    assert calls == [["check", "--output-format", "github", "src", "tests", "--select", "CL1"]]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_sarif_step_writes_the_file_without_failing(tmp_path: Path) -> None:
    step = STEPS["Write SARIF report"]
    assert step["if"] == "inputs.sarif-file != ''"
    calls = run_step(step, tmp_path, {"args": ".", "sarif-file": "results dir/cachelint.sarif"})
    assert (tmp_path / "results dir").is_dir(), "the report's directory is created"
    assert calls == [
        ["check", "--exit-zero", "--output-format", "sarif", "--output-file", "results dir/cachelint.sarif", "."]
    ]
