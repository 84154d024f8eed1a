"""The pool's compact task buffer, and a parallel run whose results complete out of order."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

import cachelint.runner
from cachelint.catalogue import load_catalogue
from cachelint.config import CliOverrides, SettingsResolver
from cachelint.discovery import discover
from cachelint.engine import ModuleContext
from cachelint.pool import _Chunks, _unpack
from cachelint.project import Scan, plan
from cachelint.runner import Task, check_candidates

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "eval" / "corpus"


def task(index: int) -> Task:
    context = ModuleContext(f"pkg.mod{index}", index % 2 == 0, None, index % 3 == 0, index % 5 == 0)
    return Task(index, f"/tree/pkg/mod{index}.py", f"pkg/mod{index}.py", frozenset({"CL101", "CL201"}), index % 2, context, f"{index:032x}", 1000 + index)


@pytest.mark.parametrize(("count", "size"), [(1, 8), (8, 8), (17, 8), (23, 1), (5, 3)])
def test_chunks_give_back_every_task_in_order(count: int, size: int) -> None:
    tasks = [task(i) for i in range(count)]
    chunks = _Chunks(iter(tasks), size)
    assert len(chunks) == -(-count // size)
    unpacked = [t for number in range(len(chunks)) for t in _unpack(chunks.packed(number))]
    assert unpacked == tasks
    assert all(len(_unpack(chunks.packed(n))) == size for n in range(len(chunks) - 1))


def test_plan_resolves_imports_to_sorted_tuples_and_leaves_out_files_without_any() -> None:
    def scan(display: str, module: str, imports: tuple[str, ...], has_sink: bool = False) -> Scan:
        return Scan(display, Path(display), module, False, display, has_sink, True, imports)

    scans = [
        scan("pkg/a.py", "pkg.a", ("os", "pkg.c", "pkg.b.helper")),
        scan("pkg/b.py", "pkg.b", ("pkg.c",)),
        scan("pkg/c.py", "pkg.c", ("json",), has_sink=True),
    ]
    result = plan(scans)
    assert result.imports == {"pkg/a.py": ("pkg/b.py", "pkg/c.py"), "pkg/b.py": ("pkg/c.py",)}
    assert result.force == {"pkg/a.py", "pkg/b.py"}
    assert result.closure("pkg/a.py") == ["pkg/c.py"]


@pytest.mark.skipif(sys.platform != "linux", reason="patches reach the workers only through fork")
def test_internal_errors_keep_file_order_when_workers_finish_out_of_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "cachelint.yaml"
    config.write_text("select: [ALL]\n")
    catalogue = load_catalogue()
    candidates = discover([str(CORPUS)], SettingsResolver(catalogue, CliOverrides(), config))
    first, last = candidates[0].display, candidates[-1].display
    real = cachelint.runner.check_source

    def flaky(data, filename, *args):
        if filename == first:
            time.sleep(1.0)  # the other worker reports the last file's error first
            raise RuntimeError("first")
        if filename == last:
            raise RuntimeError("last")
        return real(data, filename, *args)

    monkeypatch.setattr(cachelint.runner, "check_source", flaky)
    result = check_candidates(candidates, catalogue, None, jobs=2)
    assert [e.split(":")[0] for e in result.internal_errors] == [first, last]
    assert [f.filename for f in result.files] == [c.display for c in candidates]
