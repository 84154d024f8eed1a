"""Under load: many threads and asyncio tasks share one watched client; every call leaves exactly
one log line describing its own request and response, and memory stays bounded.

The default run is small; `-m slow` runs the full size (10,000 calls from 32 threads and from 32
tasks) and prints the figures (run with `-s` to see them).
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import cachelint
from cachelint.runtime import segments
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime import load

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
MAX_CONVERSATIONS = 40  # fewer than the conversations run, so eviction happens under load
# With 32 workers the bound must exceed the conversations in flight, with room for the unfairness
# of thread scheduling, or an active conversation is evicted and restarts at turn 1.
FULL_MAX_CONVERSATIONS = 160


def run_and_check(tmp_path: Path, provider: str, mode: str, calls: int, workers: int, max_conversations: int = MAX_CONVERSATIONS) -> load.Result:
    run = load.run_threads if mode == "threads" else load.run_tasks
    result = run(provider, calls=calls, workers=workers, log=tmp_path / f"{provider}-{mode}.jsonl", max_conversations=max_conversations)
    load.check(result, provider)
    load.check_bounded(result.tracker, max_conversations)
    assert result.watcher_errors == 0 and result.tracker.errors.count == 0
    return result


@pytest.mark.parametrize("mode", ["threads", "tasks"])
def test_anthropic_under_load(tmp_path, mode):
    run_and_check(tmp_path, "anthropic", mode, calls=800, workers=8)


@pytest.mark.parametrize("mode", ["threads", "tasks"])
def test_openai_under_load(tmp_path, mode):
    run_and_check(tmp_path, "openai", mode, calls=320, workers=8)


def cachelint_bytes() -> int:
    """Memory allocated by cachelint's own code and still held (tracemalloc must be tracing)."""
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, str(Path(segments.__file__).parent / "*"))])
    return sum(stat.size for stat in snapshot.statistics("filename"))


@pytest.mark.slow
@pytest.mark.parametrize("provider", ["anthropic", "openai"])
@pytest.mark.parametrize("mode", ["threads", "tasks"])
def test_full_load(tmp_path, provider, mode):
    result = run_and_check(tmp_path, provider, mode, calls=10_000, workers=32, max_conversations=FULL_MAX_CONVERSATIONS)
    lost = result.calls - len(result.log.read_text(encoding="utf-8").splitlines())
    print(
        f"\n{provider} {mode}: {result.calls:,} calls from 32 {mode} in {result.seconds:.1f} s ({result.calls / result.seconds:,.0f} calls/s); "
        f"events lost {lost}; conversations kept {len(result.tracker.conversations())} of {result.calls // load.TURNS:,}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["threads", "tasks"])
def test_full_load_memory(tmp_path, mode):
    """The same run under tracemalloc (three times slower), after a warm-up so that the figures
    are the run's and not the imports'."""
    run_and_check(tmp_path / "warm-up", "anthropic", mode, calls=160, workers=8, max_conversations=FULL_MAX_CONVERSATIONS)
    run = load.run_threads if mode == "threads" else load.run_tasks
    tracemalloc.start()
    try:
        result = run("anthropic", calls=10_000, workers=32, log=tmp_path / "calls.jsonl", max_conversations=FULL_MAX_CONVERSATIONS)
        _, peak = tracemalloc.get_traced_memory()
        held = cachelint_bytes()
    finally:
        tracemalloc.stop()
    load.check(result, "anthropic")  # after the measurement: reading the log back takes memory too
    load.check_bounded(result.tracker, FULL_MAX_CONVERSATIONS)
    print(f"\nanthropic {mode} under tracemalloc: {result.calls:,} calls in {result.seconds:.1f} s; peak traced memory {peak / 2**20:.1f} MiB (whole process), held by cachelint at the end {held / 2**20:.2f} MiB")
    assert held < 16 * 2**20


def test_memory_stays_flat_as_conversations_come_and_go():
    """After the tracker and the caches are full, more conversations add no memory: what
    cachelint allocates stays within a small margin while three times as many come and go."""
    tracker = PrefixTracker(max_conversations=MAX_CONVERSATIONS)

    def conversations(first: int, count: int) -> None:
        for conv in range(first, first + count):
            c = load.Conversation(conv, "anthropic")
            for call_id in range(load.TURNS):
                body = c.request(call_id)
                with cachelint.conversation(f"c{conv}"):
                    tracker.observe(body, provider="anthropic", usage={"input_tokens": 5, "output_tokens": 1})
                c.answered(call_id)

    tracemalloc.start()
    try:
        conversations(0, 100)  # fills the tracker (40) and the run cache (64 first messages)
        warm = cachelint_bytes()
        conversations(100, 300)
        after = cachelint_bytes()
    finally:
        tracemalloc.stop()
    assert len(tracker.conversations()) == MAX_CONVERSATIONS
    load.check_bounded(tracker, MAX_CONVERSATIONS)
    assert after < warm * 1.15 + 64 * 1024, (warm, after)
