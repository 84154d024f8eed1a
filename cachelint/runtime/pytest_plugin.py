"""pytest plugin (entry point `pytest11: cachelint`): the `stable_prefix` fixture.

A test that requests `stable_prefix` fails when any watched client, in any conversation, sends a
request whose cached prefix drifted during the test. Only pytest is imported here, so the plugin
costs nothing in test runs that do not use it; the runtime loads on first use of the fixture.

    def test_agent_keeps_cache_warm(stable_prefix):
        client = stable_prefix.watch(anthropic.Anthropic(http_client=...))
        run_agent(client, turns=3)

    def test_builder(stable_prefix):
        stable_prefix.check(build_request(turn=1))
        stable_prefix.check(build_request(turn=2))
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest


class StablePrefix:
    """Collects drift reports during one test; the test fails at teardown if there are any."""

    def __init__(self) -> None:
        from cachelint.runtime.tracker import PrefixTracker

        self.tracker = PrefixTracker(keep_text=True)
        self.drifts: list[Any] = []
        self.allowed = False

    def watch(self, client: Any, **kwargs: Any) -> Any:
        """Watch a client for this test (drift is recorded, and reported when the test ends)."""
        from cachelint.runtime.instrument import watch

        kwargs.setdefault("on_drift", "ignore")
        kwargs.setdefault("tracker", self.tracker)
        return watch(client, **kwargs)

    def check(self, request: dict[str, Any], *, conversation: str = "test", provider: str | None = None) -> None:
        """Compare a request body (kwargs you would pass to the SDK) with the previous one."""
        report = self.tracker.observe(request, provider=provider, conversation=conversation)
        if report is not None:
            self.drifts.append(report)

    def allow_drift(self) -> None:
        """Do not fail this test on drift (the reports stay in `.drifts`)."""
        self.allowed = True

    def _record(self, report: Any) -> None:
        self.drifts.append(report)


@pytest.fixture
def stable_prefix() -> Iterator[StablePrefix]:
    """Fail the test if a watched request's cached prefix drifts (see StablePrefix)."""
    from cachelint.runtime.adapters.base import add_listener, remove_listener

    guard = StablePrefix()
    add_listener(guard._record)
    try:
        yield guard
    finally:
        remove_listener(guard._record)
    if guard.drifts and not guard.allowed:
        unique = {(d.conversation, d.turn, d.where): d for d in guard.drifts}
        pytest.fail("cachelint: the cached prefix drifted\n" + "\n".join(str(d) for d in unique.values()), pytrace=False)
