"""cachelint's benchmark: cold, warm and one-file runs against Ruff, Fixit and Semgrep.

Run with the project's interpreter (`make bench`). It builds its corpora under a work directory
(default: <tmp>/cachelint-bench, outside any git tree or cachelint configuration):

  stdlib   the standard library of this interpreter without its test folders
  agent    >= 2,000 prompt-building files: copies of `examples/` and `tests/eval/corpus` with
           varied names and small mutations

and installs the peers from PyPI into `bench/.venv`. Every command runs as a subprocess; wall time
is the median of the repetitions, which do not sample memory (reading /proc every 20 ms takes CPU
from the command on a two-core machine); peak memory comes from one more run, as the largest sum
of PSS (shared pages divided among the processes that share them) over the command's process
tree, sampled every 20 ms from /proc (Linux), else the largest single process (getrusage). Peers
are measured the same way, with one timed run each. A peer that cannot be installed,
fails, or exceeds --peer-timeout is reported, not fatal. Timing thresholds live here, never in the
tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PEER_VENV = BENCH / ".venv"
PEERS = ("ruff", "fixit", "semgrep")
TEST_DIRS = {"test", "tests", "idle_test", "idlelib_test"}
SKIP_DIRS = {"site-packages", "dist-packages", "__pycache__"}
AGENT_VARIANTS = 13  # 13 x ~170 seed files > 2,000


@dataclass
class Measure:
    """One command's outcome; `note` explains a missing measurement."""

    wall: float | None
    peak_mb: float | None
    note: str = ""
    exit_code: int | None = None

    def show(self) -> str:
        if self.wall is None:
            return f"n/a ({self.note})"
        peak = f", {self.peak_mb:.0f} MB" if self.peak_mb is not None else ""
        return f"{self.wall:.3f} s{peak}" + (f" ({self.note})" if self.note else "")


# -- corpora -------------------------------------------------------------------------------------


def build_stdlib(dest: Path) -> Path:
    """Copy the standard library's .py files, without test folders, once."""
    if (dest / ".complete").exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    source = Path(sysconfig.get_paths()["stdlib"])
    for directory, subdirs, files in os.walk(source):
        subdirs[:] = sorted(d for d in subdirs if d not in TEST_DIRS | SKIP_DIRS and not d.startswith("."))
        for name in files:
            if name.endswith(".py"):
                src = Path(directory) / name
                target = dest / src.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, target)
    (dest / ".complete").touch()
    return dest


def mutate(text: str, variant: int) -> str:
    """A small, syntax-preserving change so every copy has its own bytes (and cache key)."""
    header = f"# generated variant {variant} of a cachelint example\n"
    helper = f"\n\ndef _variant_{variant}_helper(value):\n    return value * {variant + 1}\n"
    text = text.replace("You are", ["You are", "You're", "Act as", "You are now"][variant % 4], 1)
    if variant % 3 == 1:
        text = text.replace("claude-", f"claude-v{variant}-", 1)
    return header + text + helper


def build_agent_tree(dest: Path) -> Path:
    """Copies of the project's examples and eval corpus, renamed and mutated."""
    if (dest / ".complete").exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    seeds = sorted((REPO / "tests" / "eval" / "corpus").rglob("*.py")) + sorted((REPO / "examples").rglob("*.py"))
    seeds = [p for p in seeds if p.stat().st_size > 0]
    for variant in range(AGENT_VARIANTS):
        for index, seed in enumerate(seeds):
            text = seed.read_text(encoding="utf-8")
            target = dest / f"service_{variant:02d}" / f"team_{index % 7}" / f"{seed.stem}_{variant}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(mutate(text, variant), encoding="utf-8")
    (dest / ".complete").touch()
    return dest


def replicate(tree: Path, times: int, dest: Path) -> Path:
    """`times` copies of a tree side by side, for the memory scaling run."""
    if (dest / ".complete").exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    for i in range(times):
        shutil.copytree(tree, dest / f"copy{i:02d}", ignore=shutil.ignore_patterns(".complete"))
    (dest / ".complete").touch()
    return dest


def count(tree: Path) -> tuple[int, int]:
    files = list(tree.rglob("*.py"))
    return len(files), sum(p.read_bytes().count(b"\n") for p in files)


# -- running and measuring -----------------------------------------------------------------------


def _tree_rss_kb(root: int) -> int:
    """Memory of a process and its descendants (Linux /proc): the sum of their PSS.

    Forked workers share the parent's pages; RSS counts a shared page once per process, PSS
    divides it among them, so the sum is what the tree really holds. RSS where PSS is unknown.
    """
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += _pss_kb(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def measure(command: list[str], timeout: float, cwd: Path | None = None, env: dict[str, str] | None = None, memory: bool = True) -> Measure:
    """Run once; wall time, and the peak memory of the process tree when `memory` (sampling it
    takes CPU from the run on a small machine, so timed runs do not sample). A timeout kills the
    whole process group."""
    peak = 0
    done = threading.Event()
    # Measure what users get: an installed package has its bytecode cached.
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env={**environment, **(env or {})}, start_new_session=True
    )
    linux = Path(f"/proc/{proc.pid}").exists()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if linux and memory:
        sampler.start()
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        done.set()
        return Measure(None, None, f"stopped after {timeout / 60:.0f} min")
    wall = time.perf_counter() - start
    done.set()
    if not memory:
        peak = 0
    elif linux:
        sampler.join()
    else:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    text = stderr.decode(errors="replace")
    errors = text.count(": internal error: ")
    crashed = proc.returncode not in (0, 1, 2) or (proc.returncode == 2 and not errors) or ("Traceback" in text and not errors)
    if crashed:
        last = text.strip().splitlines()[-1:] or [""]
        return Measure(None, None, f"exit {proc.returncode}: {last[0][:120]}", proc.returncode)
    if errors:
        # cachelint finished but the engine failed on some files: a valid timing, flagged.
        return Measure(wall, peak / 1024 or None, f"{errors} files with internal errors", proc.returncode)
    # A run shorter than the first sample shows no peak (None), not 0 MB.
    return Measure(wall, peak / 1024 or None, exit_code=proc.returncode)


def repeat(command: list[str], times: int, timeout: float, **kwargs) -> Measure:
    """Median wall time of `times` runs without memory sampling, and the peak memory of one more
    run that samples it (stops at the first failure)."""
    runs = []
    for _ in range(times):
        result = measure(command, timeout, memory=False, **kwargs)
        if result.wall is None:
            return result
        runs.append(result)
    sampled = measure(command, timeout, **kwargs)
    return Measure(statistics.median(r.wall for r in runs), sampled.peak_mb, runs[0].note, runs[0].exit_code)


# -- peers ---------------------------------------------------------------------------------------


def install_peers() -> dict[str, str]:
    """Install ruff, fixit and semgrep into bench/.venv; returns an error note per missing peer."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    problems = {}
    for peer in PEERS:
        if (PEER_VENV / "bin" / peer).exists():
            continue
        proc = subprocess.run([str(python), "-m", "pip", "install", "-q", peer], capture_output=True, text=True)
        if proc.returncode != 0:
            problems[peer] = f"pip install failed: {proc.stderr.strip().splitlines()[-1:]}"
    return problems


def peer_version(peer: str) -> str:
    try:
        out = subprocess.run([str(PEER_VENV / "bin" / peer), "--version"], capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    match = re.search(r"(\d+\.\d+(\.\d+)?)", out)
    return match.group(1) if match else out.strip()


def peer_command(peer: str, tree: Path, jobs: int) -> list[str]:
    binary = str(PEER_VENV / "bin" / peer)
    if peer == "ruff":
        return [binary, "check", "--no-cache", "--select", "ALL", "--exit-zero", "--quiet", str(tree)]
    if peer == "fixit":
        return [binary, "lint", str(tree)]
    return [
        binary, "scan", "--config", str(BENCH / "semgrep-rules.yaml"), "--metrics=off", "--disable-version-check",
        "--no-git-ignore", "--quiet", "--jobs", str(jobs), "--timeout", "0", str(tree),
    ]


# -- in-process split: parsing vs analysis -------------------------------------------------------


def parse_vs_analysis(tree: Path, limit: int) -> tuple[int, float, float]:
    """On files that pass the prefilter: libcst parse time, and full check time (which includes it).

    Both are steady-state figures: one file is checked first, so the one-time import of the
    analysis modules is not counted, and checks run with the collector settings of a real run.
    """
    import libcst

    from cachelint.catalogue import load_catalogue
    from cachelint.engine import check_source
    from cachelint.engine.prefilter import may_contain_sink
    from cachelint.knowledge import load_knowledge
    from cachelint.runner import fewer_collections

    knowledge, catalogue = load_knowledge(), load_catalogue()
    enabled = frozenset(catalogue.by_code())
    datas = [p.read_bytes() for p in sorted(tree.rglob("*.py"))]
    datas = [d for d in datas if may_contain_sink(d, knowledge)][:limit]
    parse = check = 0.0
    with fewer_collections():
        check_source(datas[0], "bench.py", knowledge, catalogue, enabled)
        # File by file, in turn, so that a change in the machine's speed affects both alike.
        for data in datas:
            start = time.perf_counter()
            libcst.parse_module(data.decode("utf-8"))
            middle = time.perf_counter()
            check_source(data, "bench.py", knowledge, catalogue, enabled)
            parse += middle - start
            check += time.perf_counter() - middle
    return len(datas), parse, check


# -- report --------------------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("MET " if ok else "MISS")


def ratio(a: Measure, b: Measure) -> float | None:
    return b.wall / a.wall if a.wall and b.wall else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "cachelint-bench")
    parser.add_argument("--peer-timeout", type=float, default=15 * 60, help="seconds per peer run [default: 900]")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cachelint measurement [default: 3]")
    parser.add_argument("--skip-peers", nargs="*", default=[], choices=PEERS, help="peers not to run")
    parser.add_argument("--jobs", type=int, default=0, help="cachelint -j and semgrep --jobs (0 = cores)")
    args = parser.parse_args()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    jobs = args.jobs or cores
    work = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.machine()}, {cores} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}")
    print(f"work dir: {work}")
    stdlib = build_stdlib(work / "stdlib")
    agent = build_agent_tree(work / "agent")
    for name, tree in (("stdlib", stdlib), ("agent", agent)):
        files, lines = count(tree)
        print(f"corpus {name}: {files} files, {lines} lines")

    # A frozen copy of the code: the cache key covers cachelint's own source, so edits made
    # while the benchmark runs would otherwise turn the warm run cold.
    snapshot = work / "snapshot"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(REPO / "cachelint", snapshot / "cachelint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", snapshot / "rules")
    os.environ["PYTHONPATH"] = str(snapshot)
    check = [sys.executable, "-m", "cachelint", "check", "--exit-zero", "--output-format", "concise", "-j", str(args.jobs)]
    cache_dir = work / "cache"
    results: dict[str, Measure] = {}

    no_sink, with_sink = one_file_samples(stdlib, agent)
    # Untimed: writes the snapshot's bytecode, which an installed package has already.
    measure([*check, "--no-cache", str(with_sink)], 60, cwd=work, memory=False)

    print("\n== cachelint ==")
    for name, tree in (("stdlib", stdlib), ("agent", agent)):
        results[f"{name} cold"] = repeat([*check, "--no-cache", str(tree)], args.repeat, args.peer_timeout, cwd=work)
        shutil.rmtree(cache_dir, ignore_errors=True)
        results[f"{name} cold+write"] = measure([*check, "--cache-dir", str(cache_dir), str(tree)], args.peer_timeout, cwd=work)
        results[f"{name} warm"] = repeat([*check, "--cache-dir", str(cache_dir), str(tree)], args.repeat, args.peer_timeout, cwd=work)
        for label in ("cold", "cold+write", "warm"):
            print(f"{name:7} {label:11} {results[f'{name} {label}'].show()}")

    # One file is started as pre-commit starts it, through the console script: `python -m` adds
    # runpy's imports (about 5 ms), shown on its own line. The first run records what the
    # start-up fast path reads (cachelint.fastpath), as any earlier run on the machine would have.
    script = Path(sys.executable).with_name("cachelint")
    one = [sys.executable, str(script), *check[3:]] if script.exists() else check
    measure([*one, "--no-cache", str(no_sink)], 60, cwd=work)
    results["python -c pass"] = repeat([sys.executable, "-c", "pass"], 20, 60)
    results["one file, no sink"] = repeat([*one, "--no-cache", str(no_sink)], 20, 60, cwd=work)
    results["one file, no sink, -m"] = repeat([*check, "--no-cache", str(no_sink)], 20, 60, cwd=work)
    results["one file, sinks"] = repeat([*one, "--no-cache", str(with_sink)], 10, 60, cwd=work)
    print(f"python -c pass              {results['python -c pass'].show()}")
    print(f"one file without sinks      {results['one file, no sink'].show()}  [{no_sink.relative_to(work)}]")
    print(f"  same, with python -m      {results['one file, no sink, -m'].show()}")
    print(f"one file with sinks         {results['one file, sinks'].show()}  [{with_sink.relative_to(work)}]")

    print("\n== memory as the tree grows (stdlib, cold, --no-cache) ==")
    scaling = {1: results["stdlib cold"]}
    for times in (4, 16):
        tree = replicate(stdlib, times, work / f"stdlib-x{times}")
        scaling[times] = measure([*check, "--no-cache", str(tree)], args.peer_timeout * 2, cwd=work)
    for times, result in scaling.items():
        print(f"{times:2}x  {result.show()}")

    print("\n== parsing vs analysis (in process, one core, agent tree files that pass the prefilter) ==")
    parsed, parse_s, check_s = parse_vs_analysis(agent, 300)
    print(f"{parsed} files: libcst parse {parse_s:.2f} s; full check {check_s:.2f} s; analysis adds {check_s - parse_s:.2f} s ({(check_s - parse_s) / parse_s:.2f}x parse)")

    print("\n== peers (bench/.venv) ==")
    problems = install_peers()
    for peer in PEERS:
        if peer in args.skip_peers:
            problems[peer] = "skipped (--skip-peers)"
    for peer in PEERS:
        for name, tree in (("stdlib", stdlib), ("agent", agent)):
            key = f"{peer} {name}"
            if peer in problems:
                results[key] = Measure(None, None, problems[peer])
            else:
                results[key] = repeat(peer_command(peer, tree, jobs), 1, args.peer_timeout, cwd=work)
            version = "" if peer in problems else f" {peer_version(peer)}"
            mine = results[f"{name} cold"]
            speedup = ratio(mine, results[key])
            extra = f"  -> cachelint cold is {speedup:.1f}x faster" if speedup else ""
            print(f"{peer}{version:9} {name:7} {results[key].show()}{extra}")

    print("\n== targets ==")
    mine_peaks = [results[k].peak_mb for k in results if k.startswith(("stdlib", "agent", "one file")) and results[k].peak_mb]
    flat = scaling[16].peak_mb / scaling[1].peak_mb if scaling[16].peak_mb and scaling[1].peak_mb else None
    rows = [
        ("stdlib cold <= ruff", _le(results["stdlib cold"], results["ruff stdlib"])),
        ("agent cold >= 10x faster than fixit", _faster(results["agent cold"], results["fixit agent"], 10)),
        ("agent cold >= 3x faster than semgrep", _faster(results["agent cold"], results["semgrep agent"], 3)),
        ("warm <= 10% of cold (stdlib)", _fraction(results["stdlib warm"], results["stdlib cold"], 0.10)),
        ("warm <= 10% of cold (agent)", _fraction(results["agent warm"], results["agent cold"], 0.10)),
        ("warm < 0.5 s (stdlib)", (results["stdlib warm"].wall < 0.5, f"{results['stdlib warm'].wall:.3f} s") if results["stdlib warm"].wall else (None, "")),
        (
            "one file without sinks <= 1.5x python -c pass",
            _fraction(results["one file, no sink"], results["python -c pass"], 1.5),
        ),
        ("one file with sinks < 0.5 s", (results["one file, sinks"].wall < 0.5, f"{results['one file, sinks'].wall:.3f} s") if results["one file, sinks"].wall else (None, "")),
        ("peak memory <= 300 MB", (max(mine_peaks) <= 300, f"max {max(mine_peaks):.0f} MB") if mine_peaks else (None, "")),
        ("memory flat 1x->16x (<= 1.25x)", (flat <= 1.25, f"16x/1x = {flat:.2f}") if flat else (None, "")),
        ("analysis <= parsing", (check_s - parse_s <= parse_s, f"{(check_s - parse_s) / parse_s:.2f}x")),
    ]
    for label, (ok, detail) in rows:
        print(f"{verdict(ok)} {label:48} {detail}")
    return 0


def _le(mine: Measure, peer: Measure) -> tuple[bool | None, str]:
    if not (mine.wall and peer.wall):
        return None, peer.note or mine.note
    return mine.wall <= peer.wall, f"{mine.wall:.2f} s vs {peer.wall:.2f} s ({mine.wall / peer.wall:.2f}x)"


def _faster(mine: Measure, peer: Measure, factor: float) -> tuple[bool | None, str]:
    if not mine.wall:
        return None, mine.note
    if not peer.wall:
        # A peer stopped at the time cap took at least that long; that still bounds the ratio.
        return None, peer.note
    speedup = peer.wall / mine.wall
    return speedup >= factor, f"{speedup:.1f}x ({mine.wall:.2f} s vs {peer.wall:.2f} s)"


def _fraction(part: Measure, whole: Measure, limit: float) -> tuple[bool | None, str]:
    if not (part.wall and whole.wall):
        return None, part.note or whole.note
    share = part.wall / whole.wall
    return share <= limit, f"{share:.2f}x ({part.wall:.3f} s vs {whole.wall:.3f} s)"


def one_file_samples(stdlib: Path, agent: Path) -> tuple[Path, Path]:
    """A mid-sized stdlib module the prefilter rejects, and the example agent with findings."""
    from cachelint.engine.prefilter import may_contain_sink
    from cachelint.knowledge import load_knowledge

    knowledge = load_knowledge()
    no_sink = next(
        stdlib / name for name in ("textwrap.py", "colorsys.py", "bisect.py") if not may_contain_sink((stdlib / name).read_bytes(), knowledge)
    )
    with_sink = next(p for p in sorted(agent.rglob("agent_0.py")))
    return no_sink, with_sink


if __name__ == "__main__":
    sys.exit(main())
