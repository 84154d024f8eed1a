"""Any input: the engine never raises; every bad file is a CL001/CL003 diagnostic with a reason.

Mutated inputs come from a seeded random generator (reproducible): each kind of damage is
applied to small files with sinks (so they go through libcst and the dataflow pass, not only
`ast`). The default run tries every kind a few times; `-m slow` tries thousands.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path
from typing import Callable

import pytest

from cachelint.engine.parse import _unbounded_nesting
from tests.hardening.support import CORPORA, FIXABLE, SINK_HEADER, engine, run_cli

BUSTER = b"import time\nsystem = f'Now: {time.time()}'\nclient.messages.create(model='m', max_tokens=1, system=system, messages=[])\n"
SEEDS = [SINK_HEADER + BUSTER, *FIXABLE.values()]
PY2_LINES = [b'print "hello"\n', b"exec 'x = 1'\n", b"x = 0777\n", b"x = `y`\n", b"if a <> b: pass\n", b"try:\n    pass\nexcept ValueError, e:\n    pass\n", b"raise E, 'x'\n", b"x = ur'a'\n"]


def _line_start(data: bytes, rng: random.Random) -> int:
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 10 and i + 1 < len(data)]
    return rng.choice(starts)


def _insert(data: bytes, at: int, extra: bytes) -> bytes:
    return data[:at] + extra + data[at:]


def _flip(data: bytes, at: int, bit: int) -> bytes:
    return data[:at] + bytes([data[at] ^ bit]) + data[at + 1 :]


def _without_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


Mutation = Callable[[bytes, random.Random], bytes]
MUTATIONS: dict[str, Mutation] = {
    "truncated": lambda d, r: d[: r.randrange(len(d) + 1)],
    "random-bytes": lambda d, r: r.randbytes(r.randrange(1, 400)),
    "random-bytes-inserted": lambda d, r: _insert(d, r.randrange(len(d) + 1), r.randbytes(r.randrange(1, 20))),
    "byte-flipped": lambda d, r: _flip(d, r.randrange(len(d)), 1 << r.randrange(8)),
    "line-deleted": lambda d, r: _without_line(d, r),
    "nul-byte": lambda d, r: _insert(d, r.randrange(len(d) + 1), b"\x00"),
    "bom": lambda d, r: b"\xef\xbb\xbf" + d,
    "double-bom": lambda d, r: b"\xef\xbb\xbf\xef\xbb\xbf" + d,
    "crlf": lambda d, r: d.replace(b"\n", b"\r\n"),
    "cr-only": lambda d, r: d.replace(b"\n", b"\r"),
    "mixed-line-endings": lambda d, r: b"".join(x.rstrip(b"\n") + r.choice([b"\n", b"\r\n", b"\r"]) for x in d.splitlines(keepends=True)),
    "tabs": lambda d, r: d.replace(b"    ", b"\t", r.randrange(1, 4)),
    "python2": lambda d, r: _insert(d, _line_start(d, r), r.choice(PY2_LINES)),
    "latin-1-without-cookie": lambda d, r: d + "# caf\xe9 \xb5s\n".encode("latin-1"),
    "latin-1-with-cookie": lambda d, r: b"# -*- coding: latin-1 -*-\n" + d + "# caf\xe9\n".encode("latin-1"),
    "cp1252-with-wrong-cookie": lambda d, r: b"# coding: utf-8\n" + d + "# \u201cquoted\u201d\n".encode("cp1252"),
    "unknown-cookie": lambda d, r: b"# -*- coding: klingon -*-\n" + d,
    "utf-16": lambda d, r: d.decode("utf-8").encode("utf-16"),
    "utf-8-with-non-ascii": lambda d, r: _insert(d, _line_start(d, r), "# \u00e9\u4e2d\U0001f600\n".encode()),
}


def mutated(rng: random.Random, kind: str) -> bytes:
    return MUTATIONS[kind](rng.choice(SEEDS), rng)


def rows(data: bytes) -> list[tuple[str, int]]:
    return sorted((d.code, d.location.row) for d in engine(data).diagnostics)


DEFAULT_PER_KIND = 10


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_every_kind_of_damage_is_a_diagnostic_or_findings(kind: str) -> None:
    rng = random.Random(kind)
    for _ in range(DEFAULT_PER_KIND):
        engine(mutated(rng, kind))


@pytest.mark.parametrize("seed", SEEDS, ids=["buster", *FIXABLE])
def test_encodings_and_line_endings_keep_the_findings(seed: bytes) -> None:
    expected = rows(seed)
    assert expected and all(code not in ("CL001", "CL003") for code, _ in expected)
    assert rows(b"\xef\xbb\xbf" + seed) == expected
    assert rows(seed.replace(b"\n", b"\r\n")) == expected
    mixed = b"".join(x.rstrip(b"\n") + (b"\r\n" if i % 2 else b"\n") for i, x in enumerate(seed.splitlines(keepends=True)))
    assert rows(mixed) == expected
    shifted = [(code, row + 1) for code, row in expected]
    assert rows(b"# -*- coding: latin-1 -*-\n" + seed + "# caf\xe9\n".encode("latin-1")) == shifted


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(SINK_HEADER + b"x = 1\x00\n", ("CL003", 4, "NUL bytes"), id="nul"),
        pytest.param(SINK_HEADER + "# caf\xe9\n".encode("latin-1"), ("CL003", 4, "not valid utf-8"), id="latin-1-without-cookie"),
        pytest.param(b"# coding: klingon\n" + SINK_HEADER, ("CL003", 1, "bad encoding declaration"), id="unknown-cookie"),
        pytest.param(SINK_HEADER.decode().encode("utf-16"), ("CL003", 1, "NUL bytes"), id="utf-16"),
        pytest.param(SINK_HEADER + b'print "hello"\n', ("CL001", 4, "syntax error"), id="python2-print"),
        pytest.param(SINK_HEADER + b"raise ValueError, 'bad'\n", ("CL001", 4, "syntax error"), id="python2-raise"),
        pytest.param(SINK_HEADER[:-20], ("CL001", 3, "syntax error"), id="truncated"),
        pytest.param(SINK_HEADER + b"if x:\n\tif y:\n        pass\n", ("CL001", 6, "syntax error"), id="tabs-and-spaces"),
    ],
)
def test_bad_files_say_what_is_wrong_and_where(data: bytes, expected: tuple[str, int, str]) -> None:
    [diag] = engine(data).diagnostics
    code, row, words = expected
    assert (diag.code, diag.location.row) == (code, row)
    assert words.lower() in diag.message.lower(), diag.message


def test_ten_thousand_line_function_without_sink() -> None:
    body = "".join(f"    value_{i} = {i} + len('{i}')\n" for i in range(10_000))
    assert engine(f"def big():\n{body}    return value_9999\n".encode()).diagnostics == []


def test_text_python_accepts_but_libcst_cannot_read_is_named_as_such() -> None:
    # 20,000 adjacent string literals: valid Python; libcst's parser gives up on them.
    [diag] = engine(SINK_HEADER + b"x = " + b" ".join([b'"a"'] * 20_000) + b"\n").diagnostics
    assert diag.code == "CL001" and "libcst cannot parse this file, which Python accepts" in diag.message


# Each of these crashed the process (SIGSEGV in libcst's native parser), hung for minutes, or
# raised out of the engine (KeyError) before the fixes; each file is checked in a subprocess
# so that a regression fails this test instead of killing the test run.
DEEP = {
    "and_chain": b"x = " + b" and ".join([b"a"] * 12_000) + b"\n",  # valid Python: Python keeps it flat
    "parentheses": b"x = " + b"(" * 20_000 + b"1" + b")" * 20_000 + b"\n",
    "lists": b"x = " + b"[" * 3_000 + b"]" * 3_000 + b"\n",
    "unary": b"x = " + b"not " * 20_000 + b"a\n",
    "binary": b"x = " + b"+".join([b"a"] * 20_000) + b"\n",
    "attributes": b"x = a" + b".b" * 20_000 + b"\n",
    "elif_chain": b"if a: pass\n" + b"elif a: pass\n" * 1_000,
}


def test_deeply_nested_expressions_are_cl001_not_a_crash(tmp_path: Path) -> None:
    for name, body in DEEP.items():
        (tmp_path / f"{name}.py").write_bytes(body)
        (tmp_path / f"{name}_with_sink.py").write_bytes(SINK_HEADER + body)
    proc = run_cli("check", "--no-cache", "--output-format", "concise", "--select", "CL001,CL003", str(tmp_path), timeout=240)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert proc.stderr == ""
    reported = {Path(line.split(":", 1)[0]).name for line in proc.stdout.splitlines() if " CL001 " in line}
    # Two are valid Python: without a sink only `ast` reads them, and they are fine. Python 3.10
    # accepts two more at any depth, which libcst cannot read in time (refused when they have a sink).
    accepted = {"and_chain", "elif_chain"} | ({"binary", "attributes"} if sys.version_info < (3, 11) else set())
    assert reported == {f"{n}.py" for n in DEEP if n not in accepted} | {f"{n}_with_sink.py" for n in DEEP}
    assert "nested" in proc.stdout


def test_python_3_10_measures_the_nesting_it_does_not_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = "x = " + "+".join(["a"] * 100) + "\n"
    monkeypatch.setattr(sys, "version_info", (3, 11, 0))
    assert not _unbounded_nesting(chain, limit=50)  # Python 3.11 and newer limit it themselves
    monkeypatch.setattr(sys, "version_info", (3, 10, 13))
    assert _unbounded_nesting(chain, limit=50)
    assert not _unbounded_nesting(chain, limit=150)
    assert not _unbounded_nesting("x = (", limit=50)  # a syntax error is Python's verdict, taken already


# ---------------------------------------------------------------------------------- slow runs
SLOW_INPUTS = 3_000


@pytest.mark.slow
def test_thousands_of_mutated_inputs() -> None:
    rng = random.Random(20_251_204)
    tried: Counter[str] = Counter()
    seeds = SEEDS + [p.read_bytes() for corpus in CORPORA for p in sorted(corpus.glob("*.py"))[:10]]
    for _ in range(SLOW_INPUTS):
        kind = rng.choice(sorted(MUTATIONS))
        seed = rng.choice(seeds)
        engine(MUTATIONS[kind](seed, rng))
        tried[kind] += 1
    assert sum(tried.values()) == SLOW_INPUTS and set(tried) == set(MUTATIONS)
    print("mutated inputs tried:", dict(sorted(tried.items())))


@pytest.mark.slow
def test_ten_thousand_line_function_with_sink() -> None:
    body = "".join(f"    part_{i} = 'x{i}'\n" for i in range(10_000))
    source = SINK_HEADER + f"import time\n\ndef big():\n{body}    system = part_9999 + str(time.time())\n    client.messages.create(model='m', max_tokens=1, system=system, messages=[])\n".encode()
    assert [d.code for d in engine(source).diagnostics] == ["CL101"]


@pytest.mark.slow
def test_ten_megabyte_files(tmp_path: Path) -> None:
    unit = b"".join(f"def helper_{i}(value):\n    return {{'k': value, 'n': {i}}}\n\n\n".encode() for i in range(1000))
    big = unit * (10 * 1024 * 1024 // len(unit) + 1)
    (tmp_path / "big_plain.py").write_bytes(big)  # no sink: syntax-checked only
    (tmp_path / "big_sink.py").write_bytes(SINK_HEADER + b"import time\nclient.messages.create(model='m', max_tokens=1, system=str(time.time()), messages=[])\n" + big)
    (tmp_path / "big_binary.py").write_bytes(random.Random(1).randbytes(10 * 1024 * 1024))
    (tmp_path / "big_broken.py").write_bytes(big + b"def broken(:\n")
    proc = run_cli("check", "--no-cache", "--output-format", "concise", str(tmp_path), timeout=1800)
    assert proc.returncode == 1 and proc.stderr == "", proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    # Over `max-file-size` (512 KB by default): reported, not parsed (libcst would need gigabytes).
    assert any(line.startswith(str(tmp_path / "big_sink.py") + ":1:1:") and " CL001 " in line and "max-file-size" in line for line in lines), lines
    assert any(line.startswith(str(tmp_path / "big_binary.py") + ":") and " CL003 " in line for line in lines), lines
    assert any(line.startswith(str(tmp_path / "big_broken.py") + ":") and " CL001 " in line for line in lines), lines
    assert not any("big_plain.py" in line for line in lines)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b'{"cells": [{"cell_type": "code", "source": [1, 2]}]}', "a code cell's source is not text", id="source-not-text"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "its JSON is nested too deeply", id="deep-json"),
        pytest.param(b'{"cells": [{"cell_type": "code", "source": "x = ("}]}', "", id="cell-syntax-error"),
        pytest.param(b"\xff\xfe{}", "valid notebook: 'utf-8' codec can't decode", id="not-utf8"),
    ],
)
def test_broken_notebooks(tmp_path: Path, content: bytes, reason: str) -> None:
    # Before the fix the first two raised out of the run (TypeError, RecursionError): traceback, exit 1.
    from tests.hardening.support import invoke

    (tmp_path / "nb.ipynb").write_bytes(content)
    result = invoke("check", "--no-cache", "--output-format", "concise", str(tmp_path))
    assert result.exit_code == 1 and result.stderr == "", result.output
    [line] = [x for x in result.stdout.splitlines() if x.startswith(str(tmp_path))]
    assert (" CL001 " if not reason else " CL003 ") in line and reason in line and "not analysed" in line
