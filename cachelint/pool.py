"""Analyse cache misses in worker processes.

Workers receive the catalogue and the table of loaded knowledge once, in their initializer, and
then only small tasks (paths, not contents); they send back diagnostics without the source text.
Results are yielded as chunks of tasks complete, not in task order. Workers ignore SIGINT so that
Ctrl-C is handled once, here in the parent, which stops them and re-raises.

Every task is pickled into one buffer before the workers are forked. A forked worker shares the
parent's memory pages until one of them writes to a page, and CPython writes to an object
whenever it is read (its reference count changes): building tasks from the per-file records
while the workers run copied nearly every page holding those records (8 MB of an 11,744-file
tree). Slicing one buffer touches none of them. Each chunk is compressed: the paths and names
in a chunk repeat, and the buffer is a third of its pickled size.
"""

from __future__ import annotations

import gc
import io
import pickle
import signal
import sys
import zlib
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from itertools import islice

from cachelint.catalogue import Catalogue
from cachelint.engine.parse import stop_parser_thread
from cachelint.knowledge import Knowledge
from cachelint.runner import FEWER_COLLECTIONS, Outcome, Task, analyse_file

# Files per message: large enough to amortise the pipe round trip, small enough that the
# workers stay evenly busy and an interrupted run stops quickly.
MAX_CHUNK = 8
# Chunks sent ahead per worker: enough that a worker never waits for the parent, or idles while
# another worker is stuck on a slow file.
CHUNKS_AHEAD = 8

_knowledge: list[Knowledge] = []
_catalogue: Catalogue | None = None


def run_in_pool(tasks: Iterable[Task], count: int, knowledge: list[Knowledge], catalogue: Catalogue, workers: int) -> Iterator[Outcome]:
    """Yield one Outcome for each of the `count` tasks, as they complete; a dead worker turns the
    unfinished tasks into internal errors."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    chunks = _Chunks(tasks, max(1, min(MAX_CHUNK, count // (workers * 4))))
    # fork starts fastest, once the parser thread (started if summaries for cross-module
    # analysis were parsed here) has ended; spawn elsewhere (macOS and Windows), where fork is
    # unsafe or missing.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    stop_parser_thread()
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_initialize, initargs=(knowledge, catalogue))
    unsent = deque(range(len(chunks)))
    running: dict[Future[list[Outcome]], int] = {}
    try:
        while unsent or running:
            while unsent and len(running) < workers * CHUNKS_AHEAD:
                running[executor.submit(_work_chunk, chunks.packed(unsent[0]))] = unsent[0]
                unsent.popleft()
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                outcomes = future.result()
                del running[future]
                yield from outcomes
    except BrokenProcessPool:
        for number in [*running.values(), *unsent]:
            for task in _unpack(chunks.packed(number)):
                yield Outcome(task.index, [], error=f"{task.display}: internal error: a worker process died while checking this file or one near it")
    except BaseException:
        _stop(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


class _Chunks:
    """Tasks in one buffer, `size` to a chunk, each chunk pickled and compressed (`_unpack` reads
    one); the buffer is the only object the parent reads to send them."""

    def __init__(self, tasks: Iterable[Task], size: int) -> None:
        buffer = io.BytesIO()
        self._ends: array[int] = array("q")
        remaining = iter(tasks)
        while chunk := list(islice(remaining, size)):
            buffer.write(zlib.compress(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL), 1))
            self._ends.append(buffer.tell())
        self._data = buffer.getvalue()

    def __len__(self) -> int:
        return len(self._ends)

    def packed(self, number: int) -> bytes:
        return self._data[self._ends[number - 1] if number else 0 : self._ends[number]]


def _unpack(packed: bytes) -> list[Task]:
    tasks: list[Task] = pickle.loads(zlib.decompress(packed))
    return tasks


def _initialize(knowledge: list[Knowledge], catalogue: Catalogue) -> None:
    global _knowledge, _catalogue
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*FEWER_COLLECTIONS)  # a spawned worker does not inherit the parent's setting
    _knowledge, _catalogue = knowledge, catalogue


def _work_chunk(packed: bytes) -> list[Outcome]:
    assert _catalogue is not None, "worker used before its initializer ran"
    return [analyse_file(task, _knowledge[task.knowledge], _catalogue, keep_source=False) for task in _unpack(packed)]


def _stop(executor: object) -> None:
    """Kill the workers now instead of letting them finish their current files (Ctrl-C)."""
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    # Before 3.14 the executor has no public way to stop running workers.
    for process in list(getattr(executor, "_processes", {}).values()):
        process.terminate()
