"""A warm run that changes nothing prints the recorded output; any change it depends on runs the full path.

The full path runs through click's test runner with `replay.command_line` set (as the entry point
sets it), which records the run; `fastpath.answer` is then asked the same command in process. Files
made here are dated a minute back, because a run does not record what changed within a second
before it began (see cachelint.replay).
"""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cachelint import replay
from cachelint.cli import main
from cachelint.fastpath import answer, option_values

AGENT = """import anthropic
import datetime

client = anthropic.Anthropic()


def ask(question):
    system = f"You are helpful. Today is {datetime.datetime.now()}."
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, system=system, messages=[{"role": "user", "content": question}])
"""
CLEAN = "def add(a, b):\n    return a + b\n"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder as the current directory, its own start-up store, no cache variable."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CACHELINT_CACHE_DIR", raising=False)
    project = tmp_path / "project"
    (project / "src" / "pkg").mkdir(parents=True)
    (project / "src" / "pkg" / "agent.py").write_text(AGENT)
    (project / "src" / "pkg" / "util.py").write_text(CLEAN)
    (project / "src" / "other.py").write_text(CLEAN)
    settle(tmp_path)
    monkeypatch.chdir(project)
    return project


def settle(root: Path) -> None:
    """Date every file and folder under `root` a minute back."""
    past = time.time() - 60
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), (past, past))
        os.utime(folder, (past, past))


def full(args: list[str], monkeypatch: pytest.MonkeyPatch, quiet: bool = True) -> tuple[int, str]:
    """The full path, recording as when started from the command line."""
    monkeypatch.setattr(replay, "command_line", tuple(args))
    result = CliRunner().invoke(main, args)
    monkeypatch.setattr(replay, "command_line", None)
    assert result.stderr == "" or not quiet, result.stderr
    return result.exit_code, result.stdout


def replayed(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str] | None:
    capsys.readouterr()
    code = answer(args)
    out, err = capsys.readouterr()
    assert err == ""
    if code is None:
        assert out == "", "declined after printing"
        return None
    return code, out


ARGS = ["check", "--cache-dir", "cache", "src"]


def test_an_unchanged_tree_replays_the_recorded_output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    expected = full(ARGS, monkeypatch)
    assert expected[0] == 1 and "CL" in expected[1]  # findings, so the output is more than a footer
    assert replayed(ARGS, capsys) == expected
    for fmt in ("json", "concise", "sarif"):
        args = ["check", "--cache-dir", "cache", "--output-format", fmt, "--exit-zero", "src"]
        assert replayed(args, capsys) is None  # another command: not recorded yet
        expected = full(args, monkeypatch)
        assert replayed(args, capsys) == expected


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: (p / "src/pkg/agent.py").write_text(AGENT.replace("datetime.datetime.now()", "'x'")), id="file edited"),
        pytest.param(lambda p: (p / "src/pkg/util.py").write_text(CLEAN + "\n"), id="clean file edited"),
        pytest.param(lambda p: (p / "src/pkg/new.py").write_text(AGENT), id="file added"),
        pytest.param(lambda p: (p / "src/other.py").unlink(), id="file removed"),
        pytest.param(lambda p: (p / "src/pkg/util.py").rename(p / "src/pkg/util2.py"), id="file renamed"),
        pytest.param(lambda p: (p / ".cachelint.yaml").write_text("ignore: [CL101, CL102]\n"), id="config above the path"),
        pytest.param(lambda p: (p / "src/pkg/.cachelint.yaml").write_text("ignore: [CL101]\n"), id="config inside"),
        pytest.param(lambda p: (p / ".gitignore").write_text("agent.py\n") and (p / ".git").mkdir(), id="git work tree and ignore"),
        pytest.param(lambda p: (p / "pyproject.toml").write_text("[tool.cachelint]\nignore = ['CL101']\n"), id="pyproject above"),
    ],
)
def test_a_change_runs_the_full_path(change, isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    full(ARGS, monkeypatch)
    change(isolated)
    assert replayed(ARGS, capsys) is None, "a changed input was replayed"
    # Settled again, the new state is recorded and replayed in turn.
    settle(isolated)
    after = full(ARGS, monkeypatch)
    assert replayed(ARGS, capsys) == after


def test_an_edit_to_a_settings_file_above_is_seen(isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config = isolated / ".cachelint.yaml"
    config.write_text("ignore: []\n")
    settle(isolated)
    full(ARGS, monkeypatch)
    assert replayed(ARGS, capsys) is not None
    config.write_text("select: [CL001]\n")  # same folder listing, other bytes
    assert replayed(ARGS, capsys) is None


def test_a_recent_change_is_not_recorded(isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (isolated / "src" / "pkg" / "fresh.py").write_text(CLEAN)  # the folder changed just now
    full(ARGS, monkeypatch)
    assert replayed(ARGS, capsys) is None
    assert not (isolated / "cache" / replay.RUNS_DIR).exists() or not any((isolated / "cache" / replay.RUNS_DIR).iterdir())


@pytest.mark.parametrize("extra", [["--no-cache"], ["--fix"], ["--diff"], ["--add-noqa"], ["-o", "out.txt"], ["--output-file=out.txt"]])
def test_commands_with_other_effects_are_never_replayed(extra: list[str], isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "--cache-dir", "cache", *extra, "--exit-zero", "src"]
    full(args, monkeypatch, quiet=False)
    assert replayed(args, capsys) is None
    assert not replay.replayable(args[1:])


def test_a_corrupt_or_foreign_record_is_ignored(isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    expected = full(ARGS, monkeypatch)
    (record,) = (isolated / "cache" / replay.RUNS_DIR).iterdir()
    data = record.read_bytes()
    record.write_bytes(data[: len(data) // 2])
    assert replayed(ARGS, capsys) is None
    stored = marshal.loads(data)
    stored["tool"] = ("another", "cachelint")
    record.write_bytes(marshal.dumps(stored))
    assert replayed(ARGS, capsys) is None
    record.write_bytes(data)
    assert replayed(ARGS, capsys) == expected


def test_the_record_follows_the_cache_folder(isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    expected = full(ARGS, monkeypatch)
    assert replayed(["check", "--cache-dir", "./cache/", "src"], capsys) is None  # other arguments, other command
    monkeypatch.setenv("CACHELINT_CACHE_DIR", "cache")
    assert replayed(ARGS, capsys) is None  # the variable is part of the command
    monkeypatch.delenv("CACHELINT_CACHE_DIR")
    assert replayed(ARGS, capsys) == expected
    # The record lives in the cache folder: `cachelint clean` removes it with the rest.
    assert CliRunner().invoke(main, ["clean", "--cache-dir", "cache"]).exit_code == 0
    assert replayed(ARGS, capsys) is None


def test_the_default_cache_folder_is_found(isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "--output-format", "concise", "src"]
    expected = full(args, monkeypatch)
    assert (isolated / ".cachelint_cache" / replay.RUNS_DIR).is_dir()
    assert replayed(args, capsys) == expected


def test_option_values_take_the_last_of_either_spelling() -> None:
    args = ["--cache-dir", "a", "--config=x.yaml", "src", "--cache-dir=b"]
    assert option_values(args, ("--cache-dir", "--config")) == {"--cache-dir": "b", "--config": "x.yaml"}


def test_the_command_line_records_and_replays(isolated: Path) -> None:
    """End to end through the entry point: the second run answers without importing click."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-X", "importtime", "-m", "cachelint", *ARGS]
    first = subprocess.run(command, capture_output=True, text=True, env=env)
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout) == (1, full_output(isolated))
    imports = [{line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()} for run in (first, second)]
    assert "click" in imports[0] and "click" not in imports[1]


def full_output(project: Path) -> str:
    result = CliRunner().invoke(main, ["check", "--no-cache", "src"])
    return result.stdout


def test_a_notebook_is_compared_as_a_file(isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    def notebook(markdown: str) -> str:
        cells = [{"cell_type": "markdown", "metadata": {}, "source": [markdown]}, {"cell_type": "code", "metadata": {}, "source": AGENT.splitlines(True), "outputs": [], "execution_count": None}]
        return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})

    path = isolated / "src" / "agent.ipynb"
    path.write_text(notebook("# Agent"))
    settle(isolated)
    expected = full(ARGS, monkeypatch)
    assert "agent.ipynb" in expected[1]
    assert replayed(ARGS, capsys) == expected
    path.write_text(notebook("# Agent, with a longer title"))  # the code cells are unchanged
    assert replayed(ARGS, capsys) is None


def test_a_record_of_the_wrong_shape_prints_nothing(isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    full(ARGS, monkeypatch)
    (record,) = (isolated / "cache" / replay.RUNS_DIR).iterdir()
    stored = marshal.loads(record.read_bytes())
    for broken in ({"exit": "1"}, {"exit": True}, {"output": b"bytes"}):
        record.write_bytes(marshal.dumps({**stored, **broken}))
        assert replayed(ARGS, capsys) is None
