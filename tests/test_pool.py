"""The process pool: a parallel run reports exactly what a serial run reports, in the same order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cachelint.pool
import cachelint.runner
from cachelint.cache import ResultCache
from cachelint.catalogue import load_catalogue
from cachelint.config import CliOverrides, SettingsResolver
from cachelint.diagnostics import Diagnostic
from cachelint.discovery import discover
from cachelint.runner import POOL_MIN_FILES, RunResult, check_candidates

REPO = Path(__file__).resolve().parent.parent
CORPORA = [REPO / "tests" / "eval" / "corpus", REPO / "examples"]
needs_fork = pytest.mark.skipif(sys.platform != "linux", reason="patches reach the workers only through fork")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The repository's own configuration excludes the corpora; a fixed configuration includes them.
    path = tmp_path_factory.mktemp("config") / "cachelint.yaml"
    path.write_text("select: [ALL]\n")
    return path


@pytest.fixture(scope="module")
def serial(config: Path) -> RunResult:
    """The reference: both corpora checked in process, without a cache."""
    return run(CORPORA, config, jobs=1)


def run(paths: list[Path], config: Path, jobs: int, cache_dir: Path | None = None) -> RunResult:
    catalogue = load_catalogue()
    candidates = discover([str(p) for p in paths], SettingsResolver(catalogue, CliOverrides(), config))
    return check_candidates(candidates, catalogue, ResultCache(cache_dir) if cache_dir else None, jobs)


def canonical(diagnostic: Diagnostic) -> dict:
    """A diagnostic as JSON, with `related` sorted: the engine orders notes at the same place
    nondeterministically (reported separately), and that is not what these tests are about."""
    data = diagnostic.to_json()
    data["related"] = sorted(data["related"], key=lambda r: json.dumps(r, sort_keys=True))
    return data


def summary(result: RunResult) -> tuple:
    return (
        [(f.filename, [canonical(d) for d in f.diagnostics], f.source) for f in result.files],
        result.internal_errors,
    )


def test_parallel_equals_serial_without_cache(config: Path, serial: RunResult) -> None:
    assert len(serial.files) >= POOL_MIN_FILES and serial.diagnostics
    assert summary(run(CORPORA, config, jobs=2)) == summary(serial)


def test_parallel_equals_serial_with_cache(config: Path, serial: RunResult, tmp_path: Path) -> None:
    cold = run(CORPORA, config, jobs=2, cache_dir=tmp_path / "parallel")
    warm = run(CORPORA, config, jobs=2, cache_dir=tmp_path / "parallel")
    assert warm.cache_hits == len(warm.files)
    assert summary(cold) == summary(serial) == summary(warm)
    # Entries written from worker results serve a serial run too.
    assert summary(run(CORPORA, config, jobs=1, cache_dir=tmp_path / "parallel")) == summary(serial)


def test_small_runs_stay_in_process(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a small run must not start workers")

    monkeypatch.setattr(cachelint.pool, "run_in_pool", refuse)
    few = sorted((REPO / "tests" / "eval" / "corpus").glob("*.py"))[: POOL_MIN_FILES - 1]
    assert len(run(few, config, jobs=4).files) == len(few)


@needs_fork
def test_an_exception_in_a_worker_is_an_internal_error_and_the_run_goes_on(
    config: Path, serial: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = serial.files[5].filename
    real = cachelint.runner.check_source

    def flaky(data, filename, *args):
        if filename == victim:
            raise RuntimeError("engine bug")
        return real(data, filename, *args)

    monkeypatch.setattr(cachelint.runner, "check_source", flaky)
    parallel = run(CORPORA, config, jobs=2)
    assert len(parallel.internal_errors) == 1
    assert parallel.internal_errors[0].startswith(f"{victim}: internal error: RuntimeError: engine bug")
    assert [f.filename for f in parallel.files] == [f.filename for f in serial.files]
    others = [canonical(d) for d in serial.diagnostics if d.filename != victim]
    assert [canonical(d) for d in parallel.diagnostics] == others


@needs_fork
def test_a_dead_worker_is_reported_not_hung(config: Path, serial: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    real = cachelint.runner.check_source
    victim = serial.files[3].filename

    def crash(data, filename, *args):
        if filename == victim:
            os._exit(3)  # what a segfault in a native parser looks like from the parent
        return real(data, filename, *args)

    monkeypatch.setattr(cachelint.runner, "check_source", crash)
    result = run(CORPORA, config, jobs=2)
    assert result.internal_errors
    assert all("worker process died" in e for e in result.internal_errors)


def test_ctrl_c_exits_cleanly(tmp_path: Path) -> None:
    # Enough sink-heavy files that the run is still busy when the signal arrives.
    corpus = sorted((REPO / "tests" / "eval" / "corpus").glob("*.py"))
    for i in range(6):
        for path in corpus:
            (tmp_path / f"{i}_{path.name}").write_bytes(path.read_bytes())
    proc = subprocess.Popen(
        [sys.executable, "-m", "cachelint", "check", "-j", "2", "--no-cache", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    if proc.returncode == 1:
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip() == "cachelint: interrupted"


def test_collector_thresholds_are_raised_for_the_run_and_restored(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    seen: list[tuple[int, int, int]] = []
    real = cachelint.runner.analyse_file

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    monkeypatch.setattr(cachelint.runner, "analyse_file", spy)
    before = gc.get_threshold()
    run([REPO / "examples"], config, jobs=1)
    assert seen and set(seen) == {cachelint.runner.FEWER_COLLECTIONS}
    assert gc.get_threshold() == before


def test_a_worker_raises_its_own_collector_thresholds() -> None:
    import gc

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        cachelint.pool._initialize([], load_catalogue())
        assert gc.get_threshold() == cachelint.runner.FEWER_COLLECTIONS
    finally:
        gc.set_threshold(*before)
        signal.signal(signal.SIGINT, signal.default_int_handler)
