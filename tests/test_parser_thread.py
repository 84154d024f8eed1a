"""The long-lived parser thread: every caller gets the tree of its own text, also across a fork."""

from __future__ import annotations

import os
import signal
import sys
import threading

import libcst as cst
import pytest

from cachelint.engine import parse


def test_concurrent_callers_each_get_their_own_tree() -> None:
    texts = [f"x_{i} = {i}\n" * (1 + i % 7) for i in range(64)]
    results: dict[int, str] = {}

    def work(i: int) -> None:
        outcome = parse._parse_in_large_stack(texts[i])
        results[i] = outcome.code

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == dict(enumerate(texts))


def test_a_parse_error_reaches_the_caller_and_the_thread_goes_on() -> None:
    with pytest.raises(cst.ParserSyntaxError):
        parse._parse_in_large_stack("def f(:\n")
    assert parse._parse_in_large_stack("y = 2\n").code == "y = 2\n"


def test_an_abandoned_request_does_not_answer_the_next_caller() -> None:
    # A caller interrupted while waiting leaves its request queued; its answer must go to its own reply.
    import queue

    parse._parse_in_large_stack("warm = 1\n")
    abandoned: queue.SimpleQueue = queue.SimpleQueue()
    parse._PARSER._requests.put(("abandoned = 1\n", abandoned))
    assert parse._parse_in_large_stack("mine = 2\n").code == "mine = 2\n"
    assert abandoned.get(timeout=10).code == "abandoned = 1\n"


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform != "linux", reason="needs fork")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")  # Python 3.12+: the point of this test
def test_a_forked_child_parses_with_its_own_thread() -> None:
    parse._parse_in_large_stack("before_fork = 1\n")  # the parent's thread is running
    pid = os.fork()
    if pid == 0:
        ok = False
        try:
            signal.alarm(30)  # a child that hangs is killed rather than holding the test
            ok = parse._parse_in_large_stack("in_child = 1\n").code == "in_child = 1\n"
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_stopped_thread_ends_and_the_next_parse_starts_another() -> None:
    parse._parse_in_large_stack("started = 1\n")
    assert any(t.name == "cachelint-parse" for t in threading.enumerate())
    parse.stop_parser_thread()
    assert not any(t.name == "cachelint-parse" for t in threading.enumerate())
    parse.stop_parser_thread()  # stopping a stopped thread is fine
    assert parse._parse_in_large_stack("again = 1\n").code == "again = 1\n"


@pytest.mark.skipif(sys.platform != "linux", reason="the pool forks on Linux only")
def test_the_pool_forks_its_workers_from_a_single_threaded_parent() -> None:
    from cachelint.catalogue import load_catalogue
    from cachelint.knowledge import load_knowledge
    from cachelint.pool import run_in_pool
    from cachelint.runner import Task

    threads_at_fork: list[int] = []
    os.register_at_fork(before=lambda: threads_at_fork.append(threading.active_count()))
    parse._parse_in_large_stack("summary = 1\n")  # as summaries parsed in the parent would
    catalogue = load_catalogue()
    enabled = frozenset(catalogue.by_code())
    tasks = [Task(i, os.devnull, f"empty_{i}.py", enabled, 0) for i in range(4)]
    outcomes = list(run_in_pool(iter(tasks), len(tasks), [load_knowledge()], catalogue, 2))
    assert sorted(o.index for o in outcomes) == [0, 1, 2, 3]
    assert threads_at_fork and set(threads_at_fork) == {1}
