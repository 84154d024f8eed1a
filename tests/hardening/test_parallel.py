"""Parallel runs: `-j1` and `-jN`, with and without the cache, report exactly the same thing.

Hypothesis picks subsets of the two evaluation corpora and a job count; the pool threshold is
lowered so that even a small subset is checked by worker processes.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cachelint.pool
import cachelint.runner
from cachelint.cache import ResultCache
from cachelint.config import CliOverrides, SettingsResolver
from cachelint.diagnostics import Diagnostic
from cachelint.discovery import discover
from cachelint.runner import RunResult, check_candidates
from tests.hardening.support import CATALOGUE, CORPORA, run_cli

FILES = sorted(p for corpus in CORPORA for p in corpus.glob("*.py"))


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The repository's configuration excludes the corpora; an explicit one includes them.
    path = tmp_path_factory.mktemp("config") / "cachelint.yaml"
    path.write_text("select: [ALL]\n")
    return path


def run(paths: list[Path], config: Path, jobs: int, cache_dir: Path | None) -> RunResult:
    candidates = discover([str(p) for p in paths], SettingsResolver(CATALOGUE, CliOverrides(), config))
    return check_candidates(candidates, CATALOGUE, ResultCache(cache_dir) if cache_dir else None, jobs)


def canonical(diagnostic: Diagnostic) -> dict:
    """A diagnostic as JSON, `related` sorted (notes at one place come in no fixed order; not this test's concern)."""
    data = diagnostic.to_json()
    data["related"] = sorted(data["related"], key=lambda r: json.dumps(r, sort_keys=True))
    return data


def summary(result: RunResult) -> tuple:
    return ([(f.filename, [canonical(d) for d in f.diagnostics], f.source) for f in result.files], result.internal_errors)


def assert_same_everywhere(paths: list[Path], config: Path, jobs: int) -> None:
    reference = summary(run(paths, config, 1, None))
    assert not reference[1], reference[1]
    pool = mock.patch.object(cachelint.pool, "run_in_pool", wraps=cachelint.pool.run_in_pool)
    with tempfile.TemporaryDirectory() as cache, pool as spy:
        cache_dir = Path(cache)
        assert summary(run(paths, config, jobs, None)) == reference
        cold = run(paths, config, jobs, cache_dir)
        warm = run(paths, config, jobs, cache_dir)
        assert warm.cache_hits == len(paths)
        assert summary(cold) == summary(warm) == reference
        assert summary(run(paths, config, 1, cache_dir)) == reference
    assert spy.call_count == 2, "the uncached and the cold runs go through worker processes"


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(FILES), min_size=2, max_size=6, unique=True), st.integers(2, 4))
def test_subsets_give_the_same_result_at_any_job_count(config: Path, paths: list[Path], jobs: int) -> None:
    with mock.patch.object(cachelint.runner, "POOL_MIN_FILES", 2):
        assert_same_everywhere(paths, config, jobs)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(FILES), min_size=2, max_size=40, unique=True), st.integers(2, 6))
def test_many_subsets_give_the_same_result_at_any_job_count(config: Path, paths: list[Path], jobs: int) -> None:
    with mock.patch.object(cachelint.runner, "POOL_MIN_FILES", 2):
        assert_same_everywhere(paths, config, jobs)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [2, 3, 8])
def test_whole_corpora_through_the_command_line(config: Path, tmp_path: Path, jobs: int) -> None:
    args = ["check", "--config", str(config), "--output-format", "json", *map(str, CORPORA)]
    serial = run_cli(*args, "-j", "1", "--no-cache")
    assert serial.returncode == 1 and serial.stderr == ""

    def items(stdout: str) -> list[dict]:
        out = json.loads(stdout)
        for item in out:
            item["related"] = sorted(item["related"], key=lambda r: json.dumps(r, sort_keys=True))
        return out

    expected = items(serial.stdout)
    for extra in (["--no-cache"], ["--cache-dir", str(tmp_path / "c")], ["--cache-dir", str(tmp_path / "c")]):
        proc = run_cli(*args, "-j", str(jobs), *extra)
        assert (proc.returncode, proc.stderr) == (1, "")
        assert items(proc.stdout) == expected
