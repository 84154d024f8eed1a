"""Analyse cache misses in worker processes.

Workers receive the catalogue and the table of loaded knowledge once, in their initializer, and
then only small tasks (paths, not contents); they send back diagnostics without the source text.
Results are yielded in task order. Workers ignore SIGINT so that Ctrl-C is handled once, here in
the parent, which stops them and re-raises.
"""

from __future__ import annotations

import gc
import signal
import sys
from collections.abc import Iterator

from cachelint.catalogue import Catalogue
from cachelint.knowledge import Knowledge
from cachelint.runner import FEWER_COLLECTIONS, Outcome, Task, analyse_file

# Files per message: large enough to amortise the pipe round trip, small enough that the
# workers stay evenly busy and an interrupted run stops quickly.
MAX_CHUNK = 8

_knowledge: list[Knowledge] = []
_catalogue: Catalogue | None = None


def run_in_pool(tasks: list[Task], knowledge: list[Knowledge], catalogue: Catalogue, workers: int) -> Iterator[Outcome]:
    """Yield one Outcome per task, in order; a dead worker turns the unfinished tasks into internal errors."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork starts fastest and the parent holds no threads or libcst state yet; spawn elsewhere
    # (macOS and Windows), where fork is unsafe or missing.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    chunksize = max(1, min(MAX_CHUNK, len(tasks) // (workers * 4)))
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_initialize, initargs=(knowledge, catalogue))
    done = 0
    try:
        for outcome in executor.map(_work, tasks, chunksize=chunksize):
            done += 1
            yield outcome
    except BrokenProcessPool:
        for task in tasks[done:]:
            yield Outcome(task.index, [], error=f"{task.display}: internal error: a worker process died while checking this file or one near it")
    except BaseException:
        _stop(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _initialize(knowledge: list[Knowledge], catalogue: Catalogue) -> None:
    global _knowledge, _catalogue
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*FEWER_COLLECTIONS)  # a spawned worker does not inherit the parent's setting
    _knowledge, _catalogue = knowledge, catalogue


def _work(task: Task) -> Outcome:
    assert _catalogue is not None, "worker used before its initializer ran"
    return analyse_file(task, _knowledge[task.knowledge], _catalogue, keep_source=False)


def _stop(executor: object) -> None:
    """Kill the workers now instead of letting them finish their current files (Ctrl-C)."""
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    # Before 3.14 the executor has no public way to stop running workers.
    for process in list(getattr(executor, "_processes", {}).values()):
        process.terminate()
