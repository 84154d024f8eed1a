"""`--fix` never corrupts or loses a file: atomic replace, mode and symlinks kept, a file changed
meanwhile left alone, and an interrupted run leaves each file either as it was or fully fixed."""

from __future__ import annotations

import ast
import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cachelint.fixes
from tests.hardening.support import FIXABLE, REPO, invoke


@pytest.fixture(scope="module")
def fixed_versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What `--fix` makes of each fixable file."""
    root = tmp_path_factory.mktemp("reference")
    for name, data in FIXABLE.items():
        (root / name).write_bytes(data)
    result = invoke("check", "--no-cache", "--fix", str(root))
    assert result.exit_code == 0, result.output
    out = {name: (root / name).read_bytes() for name in FIXABLE}
    assert all(out[name] != FIXABLE[name] for name in FIXABLE), "every template must have a safe fix"
    return out


def test_mode_is_kept_and_nothing_is_left_behind(tmp_path: Path, fixed_versions: dict[str, bytes]) -> None:
    for i, (name, data) in enumerate(FIXABLE.items()):
        (tmp_path / name).write_bytes(data)
        (tmp_path / name).chmod([0o600, 0o755, 0o640][i])
    assert invoke("check", "--no-cache", "--fix", str(tmp_path)).exit_code == 0
    for i, name in enumerate(FIXABLE):
        assert (tmp_path / name).read_bytes() == fixed_versions[name]
        assert (tmp_path / name).stat().st_mode & 0o777 == [0o600, 0o755, 0o640][i]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FIXABLE)


def test_symlink_stays_a_link_and_its_target_is_fixed(tmp_path: Path, fixed_versions: dict[str, bytes]) -> None:
    # Before the fix the link was replaced by a fixed copy and the target was left unfixed.
    (tmp_path / "real.py").write_bytes(FIXABLE["set_order.py"])
    (tmp_path / "link.py").symlink_to("real.py")
    assert invoke("check", "--no-cache", "--fix", str(tmp_path / "link.py")).exit_code == 0
    assert (tmp_path / "link.py").is_symlink() and os.readlink(tmp_path / "link.py") == "real.py"
    assert (tmp_path / "real.py").read_bytes() == fixed_versions["set_order.py"]


def test_file_changed_by_someone_else_is_not_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, data in FIXABLE.items():
        (tmp_path / name).write_bytes(data)
    edited = FIXABLE["json_keys.py"] + b"# saved by an editor meanwhile\n"
    real = cachelint.fixes.plan_fixes

    def plan_then_edit(*args, **kwargs):
        planned = real(*args, **kwargs)
        (tmp_path / "json_keys.py").write_bytes(edited)  # after cachelint read it, before it writes
        return planned

    monkeypatch.setattr(cachelint.fixes, "plan_fixes", plan_then_edit)
    result = invoke("check", "--no-cache", "--fix", "--output-format", "concise", str(tmp_path))
    assert (tmp_path / "json_keys.py").read_bytes() == edited
    assert f"cachelint: warning: {tmp_path / 'json_keys.py'} changed while it was being fixed; it was not written" in result.stderr
    assert "Fixed 2 errors." in result.stderr
    assert result.exit_code == 1 and "json_keys.py" in result.stdout  # what remains is reported


@pytest.mark.parametrize("step", ["fdopen", "chmod", "replace"])
def test_disk_full_while_fixing_leaves_the_file_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    target = tmp_path / "set_order.py"
    target.write_bytes(FIXABLE["set_order.py"])

    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cachelint.fixes.os, step, fail)
    result = invoke("check", "--no-cache", "--fix", str(tmp_path))
    monkeypatch.undo()
    assert target.read_bytes() == FIXABLE["set_order.py"]
    assert f"cachelint: error: cannot write {target}: No space left on device" in result.stderr
    assert result.exit_code == 1  # the finding is still there and reported
    assert [p.name for p in tmp_path.iterdir()] == ["set_order.py"], "no temporary file left"


# ------------------------------------------------------------------------------ interrupted runs
# The child announces each replace on stderr and pauses a little before it, so the parent can
# kill it at chosen moments of the write phase (before, during or after a replace).
DRIVER = """
import os, sys, time
real = os.replace
def replace(src, dst):
    if str(dst).endswith(".py"):
        print("REPLACE", dst, file=sys.stderr, flush=True)
        time.sleep(0.1)
    real(src, dst)
os.replace = replace
from cachelint.cli import main
main()
"""


def make_tree(root: Path, copies: int) -> dict[Path, tuple[bytes, str]]:
    files = {}
    for i in range(copies):
        for name, data in FIXABLE.items():
            path = root / f"{i:02d}_{name}"
            path.write_bytes(data)
            files[path] = (data, name)
    return files


def interrupt(root: Path, sig: int, after_replaces: int, delay: float) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "check", "--no-cache", "--fix", "-j", "1", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stderr is not None
    seen = 0
    while seen < after_replaces:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line.startswith("REPLACE")
    time.sleep(delay)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def assert_old_or_new(files: dict[Path, tuple[bytes, str]], fixed_versions: dict[str, bytes]) -> tuple[int, int]:
    old = new = 0
    for path, (original, name) in files.items():
        data = path.read_bytes()
        assert data in (original, fixed_versions[name]), f"{path.name} is neither the original nor the fixed version"
        ast.parse(data)
        old += data == original
        new += data == fixed_versions[name]
    return old, new


def leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.endswith(".cachelint")]


def test_sigint_during_the_write_phase(tmp_path: Path, fixed_versions: dict[str, bytes]) -> None:
    files = make_tree(tmp_path, 2)
    proc = interrupt(tmp_path, signal.SIGINT, after_replaces=2, delay=0.05)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.rstrip().endswith("cachelint: interrupted")
    old, new = assert_old_or_new(files, fixed_versions)
    assert new >= 1 and old >= 1, (old, new)
    assert leftovers(tmp_path) == [], "an interrupted write removes its temporary file"


def test_sigkill_during_the_write_phase(tmp_path: Path, fixed_versions: dict[str, bytes]) -> None:
    files = make_tree(tmp_path, 2)
    proc = interrupt(tmp_path, signal.SIGKILL, after_replaces=3, delay=0.05)
    assert proc.returncode == -signal.SIGKILL
    assert assert_old_or_new(files, fixed_versions)[1] >= 2
    # SIGKILL cannot be cleaned up after: at most the one temporary file being written remains,
    # and it is not a .py file, so no later run checks it.
    assert len(leftovers(tmp_path)) <= 1


KILLS = 24


@pytest.mark.slow
def test_many_kills_at_random_moments(tmp_path: Path, fixed_versions: dict[str, bytes]) -> None:
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0}
    for run in range(KILLS):
        root = tmp_path / f"run{run}"
        root.mkdir()
        files = make_tree(root, 3)
        sig = signal.SIGKILL if run % 3 else signal.SIGINT
        proc = interrupt(root, sig, after_replaces=rng.randrange(0, len(files) + 1), delay=rng.uniform(0, 0.15))
        assert proc.returncode in (-signal.SIGKILL, 130, 0), proc.stderr
        assert "Traceback" not in proc.stderr
        old, new = assert_old_or_new(files, fixed_versions)
        outcomes["old"] += old
        outcomes["new"] += new
        assert len(leftovers(root)) <= (1 if sig == signal.SIGKILL else 0)
    print(f"{KILLS} interrupted --fix runs: files left old {outcomes['old']}, new {outcomes['new']}")
