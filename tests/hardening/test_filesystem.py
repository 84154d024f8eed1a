"""File system trouble: the run completes with a clear message and the right exit code."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import cachelint.cache
import cachelint.discovery
import cachelint.runner
from tests.hardening.support import FIXABLE, invoke, run_cli

BUSTER = FIXABLE["set_order.py"]


def tree(root: Path, count: int = 3) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / f"f{i}.py").write_bytes(BUSTER)
    return root


def test_missing_path_next_to_a_good_one_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("check", "--no-cache", str(tree(tmp_path / "t")), str(tmp_path / "nope.py"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"cachelint: error: {tmp_path / 'nope.py'}: No such file or directory"


def test_directory_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path / "t")
    locked = root / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path):  # tests run as root, which ignores permission bits: simulate EACCES
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path)

    monkeypatch.setattr(cachelint.discovery.os, "scandir", scandir)
    result = invoke("check", "--no-cache", "--output-format", "concise", str(root))
    assert result.exit_code == 1
    assert f"{locked}:1:1: CL003 Cannot list directory: Permission denied; its files were not checked" in result.stdout
    assert result.stdout.count(" CL201 ") == 3


@pytest.mark.parametrize("explicit", [False, True], ids=["walked", "named"])
def test_symlink_loops(tmp_path: Path, explicit: bool) -> None:
    root = tree(tmp_path / "t", 1)
    os.symlink(root / "b.py", root / "a.py")
    os.symlink(root / "a.py", root / "b.py")
    os.symlink(root, root / "sub_loop")  # a directory loop: not followed
    args = [str(root / "a.py"), str(root / "f0.py")] if explicit else [str(root)]
    result = invoke("check", "--no-cache", "--output-format", "concise", *args)
    assert result.exit_code == 1, result.output
    assert f"{root / 'a.py'}:1:1: CL003 Symlink loop; it was not analysed" in result.stdout
    assert "sub_loop" not in result.stdout and result.stdout.count(" CL201 ") == 1


@pytest.mark.parametrize("explicit", [False, True], ids=["walked", "named"])
def test_fifo_is_not_read(tmp_path: Path, explicit: bool) -> None:
    # Before the fix a FIFO named on the command line was opened and the run blocked forever.
    root = tree(tmp_path / "t", 1)
    os.mkfifo(root / "pipe.py")
    proc = run_cli("check", "--no-cache", "--output-format", "concise", str(root / "pipe.py") if explicit else str(root), timeout=60)
    assert proc.returncode == 1 and proc.stderr == ""
    assert f"{root / 'pipe.py'}:1:1: CL003 Not a regular file; it was not analysed" in proc.stdout


def _after_scan(monkeypatch: pytest.MonkeyPatch, action) -> None:
    """Run `action` once every file has been scanned and before any is analysed."""
    real = cachelint.runner.plan

    def plan(scans):
        action()
        return real(scans)

    monkeypatch.setattr(cachelint.runner, "plan", plan)


def test_files_deleted_or_changed_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path / "t")
    cache = tmp_path / "cache"
    changed = b"import time\n" + BUSTER.replace(b'names = {"b", "a"}', b"names = [str(time.time())]")

    def meddle() -> None:
        (root / "f0.py").unlink()
        (root / "f1.py").write_bytes(changed)

    _after_scan(monkeypatch, meddle)
    result = invoke("check", "--cache-dir", str(cache), "--output-format", "concise", str(root))
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert f"{root / 'f0.py'}:1:1: CL003 Cannot read file: No such file or directory; it was not analysed" in result.stdout
    # The changed file is reported as it is now, and the cache keeps that under its new content.
    assert f"{root / 'f1.py'}:8:" in result.stdout and " CL101 " in result.stdout
    fresh = invoke("check", "--no-cache", "--output-format", "concise", str(root))
    cached = invoke("check", "--cache-dir", str(cache), "--output-format", "concise", str(root))
    assert cached.stdout == fresh.stdout and " CL101 " in fresh.stdout
    # Changed back: the entry stored for the new bytes must not answer for the old ones.
    (root / "f1.py").write_bytes(BUSTER)
    assert invoke("check", "--cache-dir", str(cache), "--output-format", "concise", str(root)).stdout.count(" CL201 ") == 2


def test_file_deleted_after_discovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path / "t")
    real = cachelint.runner.scan_file

    def scan_file(*args, **kwargs):
        (root / "f2.py").unlink(missing_ok=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(cachelint.runner, "scan_file", scan_file)
    result = invoke("check", "--no-cache", "--output-format", "concise", str(root))
    assert result.exit_code == 1
    assert f"{root / 'f2.py'}:1:1: CL003 Cannot read file: No such file or directory" in result.stdout


@pytest.mark.parametrize(
    ("module", "name", "error"),
    [
        pytest.param(cachelint.cache.os, "replace", errno.ENOSPC, id="disk-full-on-replace"),
        pytest.param(cachelint.cache.os, "fdopen", errno.ENOSPC, id="disk-full-on-write"),
        # The tag is the first file a run writes, through the same atomic write as the packs.
        pytest.param(cachelint.cache.os, "open", errno.ENOSPC, id="disk-full-on-tag"),
        pytest.param(cachelint.cache.Path, "mkdir", errno.EROFS, id="read-only"),
    ],
)
def test_cache_that_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module, name: str, error: int) -> None:
    root = tree(tmp_path / "t")
    expected = invoke("check", "--no-cache", "--output-format", "concise", str(root))

    def fail(*args, **kwargs):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(module, name, fail)
    result = invoke("check", "--cache-dir", str(tmp_path / "cache"), "--output-format", "concise", str(root))
    assert (result.exit_code, result.stdout) == (1, expected.stdout)
    assert result.stderr == f"cachelint: warning: cannot write the cache in {tmp_path / 'cache'} ({os.strerror(error)}); results are not cached\n"
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_cache_dir_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path / "t")
    monkeypatch.chdir(root)  # the configuration that names the cache applies to the current directory
    (root / "cachelint.yaml").write_text("cache-dir: blocker\n")
    (root / "blocker").write_text("not a directory")
    result = invoke("check", "--output-format", "concise", str(root))
    assert result.exit_code == 1 and result.stdout.count(" CL201 ") == 3
    assert "cannot write the cache" in result.stderr
    assert (root / "blocker").read_text() == "not a directory"


def test_report_file_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path / "t")

    def fail(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_text", fail)
    result = invoke("check", "--no-cache", "-o", str(tmp_path / "out.txt"), str(root))
    assert result.exit_code == 2
    assert result.stderr == f"cachelint: error: cannot write {tmp_path / 'out.txt'}: No space left on device\n"


def test_unexpected_exception_is_exit_2_not_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug outside the per-file guard must not exit 1, which means "findings" to CI.
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cachelint.runner, "merge_foreign", broken)
    result = invoke("check", "--no-cache", str(tree(tmp_path / "t", 1)))
    assert result.exit_code == 2
    assert result.stderr.rstrip().endswith("cachelint: error: internal error: RuntimeError: boom")
