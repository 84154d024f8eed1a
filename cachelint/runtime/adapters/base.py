"""What every SDK adapter shares: begin a call without ever breaking the user's request."""

from __future__ import annotations

import logging
from typing import Any, Callable

from cachelint.runtime.context import is_strict
from cachelint.runtime.drift import DriftReport
from cachelint.runtime.errors import InternalErrors, PrefixDriftError
from cachelint.runtime.logsink import JsonLinesSink
from cachelint.runtime.tracker import Call, PrefixTracker

logger = logging.getLogger("cachelint")

ON_DRIFT = ("warn", "raise", "ignore")

# Called with every drift report any watcher sees (the pytest fixture listens here).
_listeners: list[Callable[[DriftReport], None]] = []


def add_listener(fn: Callable[[DriftReport], None]) -> None:
    _listeners.append(fn)


def remove_listener(fn: Callable[[DriftReport], None]) -> None:
    if fn in _listeners:
        _listeners.remove(fn)


class Watcher:
    """One watched client's settings; adapters call `begin()` before sending."""

    def __init__(self, tracker: PrefixTracker, *, conversation: str | None, sink: JsonLinesSink | None, on_drift: str, provider: str) -> None:
        if on_drift not in ON_DRIFT:
            raise ValueError(f"on_drift must be one of {', '.join(ON_DRIFT)}, got {on_drift!r}")
        self.tracker = tracker
        self.conversation = conversation
        self.sink = sink
        self.on_drift = on_drift
        self.provider = provider
        self.errors = InternalErrors()  # the companion's own failures: logged, counted, never raised

    def begin(self, body: Any, *, op: str, api: str | None = None, attempt: int = 0, model: str | None = None, sent: bytes | None = None) -> Call | None:
        """A Call to finish later, or None when the body cannot be read (the request goes out
        unwatched). Raises PrefixDriftError only in assertion mode, before anything is sent.
        `sent`: the request's bytes, when it has already gone out."""
        try:
            if not isinstance(body, dict):
                return None
            call = self.tracker.begin(
                body,
                provider=self.provider,
                api=api,
                default_conversation=self.conversation,
                op=op,
                attempt=attempt,
                model=model,
                sink=self.sink,
                sent=sent,
                blocking=sent is None and self.may_raise,
            )
            self._announce(call)
        except Exception:
            self.errors("cachelint: internal error; this request goes out unwatched")
            return None
        if call.drift is not None and self.may_raise:
            call.finish(error="PrefixDriftError")
            raise PrefixDriftError(call.drift)
        return call

    @property
    def may_raise(self) -> bool:
        """Whether drift raises now: then a request is checked before it is sent."""
        return self.on_drift == "raise" or is_strict()

    def _announce(self, call: Call) -> None:
        for finding in call.findings:
            level = logging.WARNING if finding.severity == "high" else logging.INFO
            logger.log(level, "cachelint: %s [%s] %s", call.conversation, finding.name, finding.message)
        if call.drift is None:
            return
        for listener in list(_listeners):
            try:
                listener(call.drift)
            except Exception:
                self.errors("cachelint: drift listener failed")
        if self.on_drift == "warn":
            logger.warning("%s", call.drift)


def finish_quietly(call: Call | None, usage: Any = None, error: Any = None) -> None:
    if call is None:
        return
    try:
        call.finish(usage, error=error)
    except Exception:
        call.tracker.errors("cachelint: internal error while recording usage")
