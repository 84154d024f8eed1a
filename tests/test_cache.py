"""The result cache: hits, invalidation, corruption, concurrency and unwritable directories."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cachelint.cache
from cachelint.cache import CACHE_DIR_NAME, FORMAT, PACK_HEADER, PACK_SUFFIX, ResultCache, tool_fingerprint
from cachelint.catalogue import load_catalogue
from cachelint.cli import main
from cachelint.config import CliOverrides, SettingsResolver
from cachelint.diagnostics import Diagnostic
from cachelint.discovery import discover
from cachelint.runner import RunResult, check_candidates

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "eval" / "corpus"
# A few corpus files with findings and a few without, enough to exercise every path quickly.
SAMPLES = sorted(CORPUS.glob("anthropic_*.py"))[:4] + sorted(CORPUS.glob("clean_*.py"))[:3]


def make_tree(root: Path, files: dict[str, bytes] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, data in (files or {p.name: p.read_bytes() for p in SAMPLES}).items():
        (root / name).write_bytes(data)
    return root


def run(tree: Path, cache_dir: Path | None, overrides: CliOverrides | None = None, jobs: int = 1) -> RunResult:
    catalogue = load_catalogue()
    candidates = discover([str(tree)], SettingsResolver(catalogue, overrides or CliOverrides()))
    cache = ResultCache(cache_dir) if cache_dir is not None else None
    return check_candidates(candidates, catalogue, cache, jobs)


def canonical(diagnostic: Diagnostic) -> dict:
    """A diagnostic as JSON, with `related` sorted: the engine orders notes at the same place
    nondeterministically (reported separately), and that is not what these tests are about."""
    data = diagnostic.to_json()
    data["related"] = sorted(data["related"], key=lambda r: json.dumps(r, sort_keys=True))
    return data


def canonical_output(stdout: str) -> list[dict]:
    items = json.loads(stdout)
    for item in items:
        item["related"] = sorted(item["related"], key=lambda r: json.dumps(r, sort_keys=True))
    return items


def summary(result: RunResult) -> tuple:
    """Everything a user can see of a run: findings (as JSON) and errors, in order."""
    return ([canonical(d) for d in result.diagnostics], [f.filename for f in result.files], result.internal_errors)


def packs(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / FORMAT).glob("*" + PACK_SUFFIX))


def pack_entries(pack: Path) -> list[str]:
    """The entry lines of one pack (key digest, a tab, the entry's JSON)."""
    text = pack.read_text(encoding="utf-8")
    assert text.startswith(PACK_HEADER)
    return [line for line in text[len(PACK_HEADER) :].split("\n") if line]


def result_entries(cache_dir: Path) -> list[str]:
    """Entries holding a file's diagnostics (the others hold what the project scan read), over every pack."""
    return [line for pack in packs(cache_dir) for line in pack_entries(pack) if '"diagnostics"' in line]


def test_unchanged_rerun_hits_every_file(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    first = run(tree, tmp_path / "cache")
    second = run(tree, tmp_path / "cache")
    assert first.cache_hits == 0
    assert second.cache_hits == len(SAMPLES)
    assert summary(second) == summary(first)
    assert any(first.diagnostics), "the samples should include findings, so cached findings are compared"


def test_edit_misses_only_the_edited_file(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    run(tree, tmp_path / "cache")
    edited = tree / SAMPLES[0].name
    edited.write_bytes(edited.read_bytes() + b"\nlate = 1\n")
    again = run(tree, tmp_path / "cache")
    assert again.cache_hits == len(SAMPLES) - 1
    assert summary(again) == summary(run(tree, None))


def test_warm_run_scans_only_changed_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cachelint.project

    tree = make_tree(tmp_path / "tree")
    first = run(tree, tmp_path / "cache")
    scanned: list[bytes] = []
    real = cachelint.project.may_contain_sink
    monkeypatch.setattr(cachelint.project, "may_contain_sink", lambda data, knowledge: scanned.append(data) or real(data, knowledge))
    assert summary(run(tree, tmp_path / "cache")) == summary(first)
    assert scanned == []
    edited = tree / SAMPLES[0].name
    edited.write_bytes(edited.read_bytes() + b"\nlate = 1\n")
    run(tree, tmp_path / "cache")
    assert scanned == [edited.read_bytes()]


def test_cache_directory_is_tagged_and_ignored_by_git(tmp_path: Path) -> None:
    run(make_tree(tmp_path / "tree"), tmp_path / "cache")
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (tmp_path / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(result_entries(tmp_path / "cache")) == len(SAMPLES)
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_settings_change_invalidates(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    run(tree, tmp_path / "cache")
    narrowed = run(tree, tmp_path / "cache", CliOverrides(ignore=["CL101"]))
    assert narrowed.cache_hits == 0
    assert "CL101" not in {d.code for d in narrowed.diagnostics}
    assert run(tree, tmp_path / "cache").cache_hits == len(SAMPLES), "the first settings' entries are still there"


def test_rule_file_change_invalidates(tmp_path: Path) -> None:
    rule_file = tmp_path / "extra-rules.yaml"
    rule_file.write_text("sinks: []\n")
    before = tool_fingerprint((str(rule_file),))
    assert tool_fingerprint((str(rule_file),)) == before
    rule_file.write_text("sinks: [] # edited\n")
    assert tool_fingerprint((str(rule_file),)) != before

    # End to end: the same tree with settings whose knowledge lists that rule file.
    tree = make_tree(tmp_path / "tree")
    catalogue = load_catalogue()
    candidates = discover([str(tree)], SettingsResolver(catalogue, CliOverrides()))
    knowledge = dataclasses.replace(candidates[0].settings.knowledge, files=(str(rule_file),))
    settings_ = dataclasses.replace(candidates[0].settings, knowledge=knowledge)
    candidates = [dataclasses.replace(c, settings=settings_) for c in candidates]
    assert check_candidates(candidates, catalogue, ResultCache(tmp_path / "cache")).cache_hits == 0
    assert check_candidates(candidates, catalogue, ResultCache(tmp_path / "cache")).cache_hits == len(SAMPLES)
    rule_file.write_text("sinks: [] # edited again\n")
    assert check_candidates(candidates, catalogue, ResultCache(tmp_path / "cache")).cache_hits == 0


def test_version_change_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = make_tree(tmp_path / "tree")
    run(tree, tmp_path / "cache")
    monkeypatch.setattr(cachelint.cache, "__version__", "999.0.0")
    assert run(tree, tmp_path / "cache").cache_hits == 0


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: "", id="empty"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: "\x00\x7f garbage \x01", id="garbage"),
        pytest.param(lambda raw: '{"key": "another", "diagnostics": []}', id="foreign-key"),
        pytest.param(lambda raw: raw.replace('"code"', '"kode"'), id="foreign-format"),
        pytest.param(lambda raw: "[1, 2, 3]", id="wrong-shape"),
    ],
)
def test_damaged_entries_are_ignored_and_rebuilt(tmp_path: Path, damage) -> None:
    tree = make_tree(tmp_path / "tree")
    clean = summary(run(tree, tmp_path / "cache"))
    for pack in packs(tmp_path / "cache"):
        lines = []
        for line in pack_entries(pack):
            key, _, entry = line.partition("\t")
            lines.append(f"{key}\t{damage(entry)}")
        pack.write_text(PACK_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    damaged_run = run(tree, tmp_path / "cache")
    # Clean files have no diagnostics, so renaming a key inside them leaves them valid.
    assert damaged_run.cache_hits <= sum(1 for p in SAMPLES if p.name.startswith("clean_"))
    assert summary(damaged_run) == clean
    rebuilt = run(tree, tmp_path / "cache")
    assert rebuilt.cache_hits == len(SAMPLES)
    assert summary(rebuilt) == clean


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"\x00\xff not UTF-8 \x80" + raw, id="binary"),
        pytest.param(lambda raw: raw.replace(PACK_HEADER.encode(), b"cachelint result pack 999\n"), id="other-version"),
    ],
)
def test_damaged_packs_are_ignored_and_rebuilt(tmp_path: Path, damage) -> None:
    tree = make_tree(tmp_path / "tree")
    clean = summary(run(tree, tmp_path / "cache"))
    for pack in packs(tmp_path / "cache"):
        pack.write_bytes(damage(pack.read_bytes()))
    assert summary(run(tree, tmp_path / "cache")) == clean
    rebuilt = run(tree, tmp_path / "cache")
    assert rebuilt.cache_hits == len(SAMPLES)
    assert summary(rebuilt) == clean


def test_unreadable_packs_and_junk_in_the_cache_are_ignored(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    clean = summary(run(tree, tmp_path / "cache"))
    for pack in packs(tmp_path / "cache"):
        pack.unlink()
        pack.mkdir()  # reading a directory fails with an OSError
    (tmp_path / "cache" / FORMAT / "junk.json").write_text("{}")
    (tmp_path / "cache" / FORMAT / ("junk" + PACK_SUFFIX)).write_text("{}")
    assert summary(run(tree, tmp_path / "cache")) == clean


def test_a_cache_used_for_a_second_run_in_the_same_process_hits(tmp_path: Path) -> None:
    # `check --fix` checks the fixed files again with the same cache object.
    tree = make_tree(tmp_path / "tree")
    catalogue = load_catalogue()
    candidates = discover([str(tree)], SettingsResolver(catalogue, CliOverrides()))
    cache = ResultCache(tmp_path / "cache")
    assert check_candidates(candidates, catalogue, cache).cache_hits == 0
    written = packs(tmp_path / "cache")
    assert check_candidates(candidates, catalogue, cache).cache_hits == len(SAMPLES)
    assert packs(tmp_path / "cache") == written


def shards(cache_dir: Path) -> dict[str, int]:
    """How many packs each shard has."""
    counts: dict[str, int] = {}
    for pack in packs(cache_dir):
        counts[pack.name[0]] = counts.get(pack.name[0], 0) + 1
    return counts


def test_packs_per_shard_are_merged_when_there_are_many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cachelint.cache, "MAX_PACKS", 3)
    tree = make_tree(tmp_path / "tree")
    cache_dir = tmp_path / "cache"
    originals = {p.name: p.read_bytes() for p in SAMPLES}
    first = summary(run(tree, cache_dir))
    # One pack for each shard the run's entries fall in, each entry in the shard of its digest.
    assert set(shards(cache_dir).values()) == {1}
    for pack in packs(cache_dir):
        assert all(line[0] == pack.name[0] for line in pack_entries(pack))
    written = packs(cache_dir)
    assert run(tree, cache_dir).cache_hits == len(SAMPLES)
    assert packs(cache_dir) == written, "a run that computed nothing writes nothing"
    # Each edit adds packs; a shard that has 3 is merged by the run that writes there.
    most = 0
    for n in range(12):
        edited = tree / SAMPLES[n % len(SAMPLES)].name
        edited.write_bytes(edited.read_bytes() + f"\nedit_{n} = {n}\n".encode())
        assert run(tree, cache_dir).cache_hits == len(SAMPLES) - 1
        most = max(most, *shards(cache_dir).values())
    assert most == 3
    # Nothing was lost in the merges: the first version of every file is still a hit.
    for name, data in originals.items():
        (tree / name).write_bytes(data)
    restored = run(tree, cache_dir)
    assert restored.cache_hits == len(SAMPLES)
    assert summary(restored) == first


@pytest.mark.parametrize(
    ("target", "error"),
    [
        pytest.param("open", errno.ENOSPC, id="disk-full"),
        pytest.param("mkdir", errno.EROFS, id="read-only"),
        pytest.param("open", errno.EACCES, id="permission-denied"),
    ],
)
def test_unwritable_cache_does_not_fail_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], target: str, error: int
) -> None:
    # Tests may run as root, which ignores permission bits, so the failures are simulated.
    tree = make_tree(tmp_path / "tree")
    expected = summary(run(tree, None))

    def fail(*args, **kwargs):
        raise OSError(error, os.strerror(error))

    if target == "open":
        monkeypatch.setattr(cachelint.cache.os, "open", fail)
    else:
        monkeypatch.setattr(cachelint.cache.Path, "mkdir", fail)
    result = run(tree, tmp_path / "cache")
    assert summary(result) == expected
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "cannot write the cache" in warnings[0] and os.strerror(error) in warnings[0]
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores directory permissions")
def test_read_only_directory_for_real(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    cache_dir.chmod(0o555)
    try:
        proc = cli("check", "--no-cache", "--cache-dir", str(cache_dir), str(tree))
        proc = cli("check", "--cache-dir", str(cache_dir), str(tree))
    finally:
        cache_dir.chmod(0o755)
    assert proc.returncode == 1
    assert proc.stderr.count("warning") == 1


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cachelint", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def test_two_processes_at_once_lose_nothing(tmp_path: Path) -> None:
    files = {f"{i:02d}_{p.name}": p.read_bytes() for i in range(3) for p in SAMPLES}
    tree = make_tree(tmp_path / "tree", files)
    cache_dir = tmp_path / "cache"
    command = [sys.executable, "-m", "cachelint", "check", "-j", "1", "--output-format", "json", "--cache-dir", str(cache_dir), str(tree)]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    uncached = cli("check", "-j", "1", "--output-format", "json", "--no-cache", str(tree))
    for proc, (stdout, stderr) in zip(procs, outputs):
        assert proc.returncode == 1, stderr
        assert stderr == ""
        assert canonical_output(stdout) == canonical_output(uncached.stdout)
    # Each process wrote its own pack, so neither lost what the other computed.
    assert len({line.partition("\t")[0] for line in result_entries(cache_dir)}) == len(files)
    assert not list(cache_dir.rglob("*.tmp"))
    assert run(tree, cache_dir).cache_hits == len(files)


def test_cli_cache_dir_sources(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    assert cli("check", "--no-cache", str(tree), cwd=tmp_path).returncode == 1
    assert not (tmp_path / CACHE_DIR_NAME).exists(), "--no-cache must not create the cache"

    assert cli("check", str(tree), cwd=tmp_path).returncode == 1
    assert (tmp_path / CACHE_DIR_NAME / "CACHEDIR.TAG").exists(), "default: in the project root (here the cwd)"

    assert cli("check", str(tree), env={"CACHELINT_CACHE_DIR": str(tmp_path / "from-env")}, cwd=tmp_path).returncode == 1
    assert (tmp_path / "from-env" / "CACHEDIR.TAG").exists()

    (tmp_path / "cachelint.yaml").write_text("cache-dir: from-config\n")
    assert cli("check", str(tree), cwd=tmp_path).returncode == 1
    assert (tmp_path / "from-config" / "CACHEDIR.TAG").exists()

    removed = cli("clean", cwd=tmp_path)
    assert removed.returncode == 0 and "Removed" in removed.stdout
    assert not (tmp_path / "from-config").exists()
    assert "No cache" in cli("clean", cwd=tmp_path).stdout


def test_clean_refuses_a_directory_it_did_not_create(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["clean", "--cache-dir", str(precious)])
    assert result.exit_code == 2
    assert (precious / "data.txt").exists()


# Small trees built from corpus files, renamed and lightly mutated; the cache must never change
# what a run reports, whether it is cold, warm, or partly stale.
MUTATIONS = [b"", b"\nextra = 1\n", b"\nimport time\nstamp = time.time()\n", b"\n# cachelint: ignore[CL101]\n", b"\ndef broken(:\n"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(SAMPLES), st.sampled_from(MUTATIONS), st.sampled_from(["a", "b/c", "d"])),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(MUTATIONS),
)
def test_cached_results_equal_uncached_results(tmp_path: Path, picks, edit: bytes) -> None:
    base = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    files = {f"{folder}/{i}_{sample.name}": sample.read_bytes() + mutation for i, (sample, mutation, folder) in enumerate(picks)}
    for name, data in files.items():
        (base / "tree" / name).parent.mkdir(parents=True, exist_ok=True)
        (base / "tree" / name).write_bytes(data)
    tree, cache_dir = base / "tree", base / "cache"
    assert summary(run(tree, cache_dir)) == summary(run(tree, None))
    assert summary(run(tree, cache_dir)) == summary(run(tree, None))
    first = tree / next(iter(files))
    first.write_bytes(first.read_bytes() + edit)
    assert summary(run(tree, cache_dir)) == summary(run(tree, None))
    shutil.rmtree(base)
