"""`cachelint probe module:function`: is the request a function builds reproducible?

The function runs in fresh interpreters: several with different PYTHONHASHSEED values (set and
frozenset order of strings changes between processes, the CL2xx busters), optionally with the
clock frozen at different instants (CL1xx time values), plus one exact repeat as a control
(anything that differs there is random: uuid4, random, os.getpid, id()). Each run prints its
segment hashes; the parent reports the segments whose hashes differ and the likely cause.

The function may return request kwargs (a dict), or call watched clients (every request they
fingerprint is captured).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

CHILD_FLAG = "--cachelint-probe-child"


@dataclass
class ProbeResult:
    target: str
    runs: int
    unstable: list[dict[str, Any]] = field(default_factory=list)  # {request, segment, cause, variants}
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    # Changes in a request's newest message: no cache has read it yet, so they cost nothing.
    newest: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "runs": self.runs, "requests": self.requests, "unstable": self.unstable, "newest": self.newest, "errors": self.errors}


_CAUSES = {
    "repeat": "differs between two runs with the same hash seed and clock: a random value (uuid4, random, os.getpid, id(), tempfile names)",
    "repeat, clock running": "differs between two runs with the same hash seed: a random value (uuid4, random, os.getpid, id(), tempfile names) or the time (run with --clock to tell them apart)",
    "seed": "differs with PYTHONHASHSEED: the order of a set/frozenset (or dict built from one) reaches the prompt; sort it",
    "clock": "differs with the clock: a time or date value reaches the prompt; coarsen it or move it to the newest message",
}


def run_probe(target: str, *, seeds: int = 4, clocks: list[float] | None = None, cwd: str | None = None, timeout: float = 60.0) -> ProbeResult:
    """Run `target` in subprocesses and report the segments that are not reproducible."""
    base_clock = clocks[0] if clocks else None
    plan: list[tuple[str, int, float | None]] = [("base", 0, base_clock), ("repeat", 0, base_clock)]
    plan += [("seed", seed, base_clock) for seed in range(1, seeds)]
    plan += [("clock", 0, clock) for clock in (clocks or [])[1:]]
    result = ProbeResult(target, len(plan))
    outputs: list[tuple[str, list[list[list[str]]]]] = []
    for kind, seed, clock in plan:
        out, error = _run_child(target, seed, clock, cwd, timeout)
        if error:
            result.errors.append(f"PYTHONHASHSEED={seed}" + (f", clock={clock}" if clock is not None else "") + f": {error}")
            continue
        outputs.append((kind, out))
    if not outputs or outputs[0][0] != "base":
        return result
    base = outputs[0][1]
    result.requests = len(base)
    seen: set[tuple[int, str]] = set()
    for kind in ("repeat", "seed", "clock"):
        for k, run in outputs[1:]:
            if k != kind:
                continue
            for r, (a, b) in enumerate(zip(base, run)):
                cause = "repeat, clock running" if kind == "repeat" and base_clock is None else kind
                newest = a[-1][0] if a and a[-1][0].startswith(("messages[", "input[")) else None
                tools_a = [h for label, h in a if _is_tool(label)]
                tools_b = [h for label, h in b if _is_tool(label)]
                reordered = tools_a != tools_b and sorted(tools_a) == sorted(tools_b)
                if reordered and (r, "tools order") not in seen:
                    seen.add((r, "tools order"))
                    result.unstable.append({"request": r, "segment": "tools order", "cause": cause, "why": _CAUSES[cause]})
                for (label_a, hash_a), (_, hash_b) in zip(a, b):
                    if reordered and _is_tool(label_a):
                        continue
                    if hash_a != hash_b and (r, label_a) not in seen:
                        seen.add((r, label_a))
                        found = result.newest if label_a == newest and len(a) == len(b) else result.unstable
                        found.append({"request": r, "segment": label_a, "cause": cause, "why": _CAUSES[cause]})
                if len(a) != len(b) and (r, "length") not in seen:
                    seen.add((r, "length"))
                    result.unstable.append({"request": r, "segment": f"{len(a)} vs {len(b)} segments", "cause": cause, "why": _CAUSES[cause]})
            if len(base) != len(run) and (-1, kind) not in seen:
                seen.add((-1, kind))
                result.unstable.append({"request": -1, "segment": f"{len(base)} vs {len(run)} requests", "cause": kind, "why": _CAUSES[kind]})
    return result


def _is_tool(label: str) -> bool:
    return label.startswith(("tools[", "toolConfig.tools["))


def _run_child(target: str, seed: int, clock: float | None, cwd: str | None, timeout: float) -> tuple[list[Any], str | None]:
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    env.pop("CACHELINT_LOG", None)
    cmd = [sys.executable, "-m", "cachelint.runtime.probe", CHILD_FLAG, target]
    if clock is not None:
        cmd += ["--clock", repr(clock)]
    try:
        proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [], f"timed out after {timeout:g}s"
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["exit code %d" % proc.returncode])[-1]
        return [], tail
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1]), None
    except (ValueError, IndexError):
        return [], "the child printed no result"


def freeze_clock(at: float) -> None:
    """Make time.time(), datetime.now() and friends return `at` in this process."""
    import datetime as dt
    import time

    real_localtime, real_gmtime, real_strftime = time.localtime, time.gmtime, time.strftime
    time.time = lambda: at
    time.time_ns = lambda: int(at * 1e9)
    time.localtime = lambda secs=None: real_localtime(at if secs is None else secs)
    time.gmtime = lambda secs=None: real_gmtime(at if secs is None else secs)
    time.strftime = lambda fmt, t=None: real_strftime(fmt, real_localtime(at) if t is None else t)

    class FrozenDateTime(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return cls.fromtimestamp(at, tz)

        @classmethod
        def utcnow(cls) -> Any:
            return cls.fromtimestamp(at, dt.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls) -> Any:
            return cls.fromtimestamp(at)

    class FrozenDate(dt.date):
        @classmethod
        def today(cls) -> Any:
            return cls.fromtimestamp(at)

    dt.datetime = FrozenDateTime  # type: ignore[misc]
    dt.date = FrozenDate  # type: ignore[misc]


def _child(target: str, clock: float | None) -> None:
    if clock is not None:
        freeze_clock(clock)  # before the target's imports, so `from datetime import datetime` sees it
    sys.path.insert(0, os.getcwd())
    from cachelint.runtime import tracker as tracker_mod
    from cachelint.runtime.segments import fingerprint

    captured: list[Any] = []
    real = tracker_mod.fingerprint

    def capture(*args: Any, **kwargs: Any) -> Any:
        fp = real(*args, **kwargs)
        captured.append(fp)
        return fp

    tracker_mod.fingerprint = capture  # watched clients inside the target are captured too
    module_name, _, func_name = target.partition(":")
    if not func_name:
        raise SystemExit(f"target must be module:function, got {target!r}")
    func: Any = importlib.import_module(module_name)
    for part in func_name.split("."):
        func = getattr(func, part)
    result = func()
    if isinstance(result, dict):
        captured.append(fingerprint(result))
    elif isinstance(result, (list, tuple)) and all(isinstance(r, dict) for r in result):
        captured.extend(fingerprint(r) for r in result)
    out = [[[fp.label(i), f"{fp.hashes[i]:016x}"] for i in range(len(fp))] for fp in captured]
    print(json.dumps(out))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == [CHILD_FLAG]:
        clock_at = float(args[args.index("--clock") + 1]) if "--clock" in args else None
        _child(args[1], clock_at)
