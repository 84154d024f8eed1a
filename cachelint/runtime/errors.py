"""The one exception the companion lets reach the caller (only in assertion mode), and how the
others are reported: logged, never raised."""

from __future__ import annotations

import logging
import threading

from cachelint.runtime.drift import DriftReport

logger = logging.getLogger("cachelint")


class PrefixDriftError(AssertionError):
    """The request's cached prefix differs from the previous request of its conversation.

    `.segment` names the first diverging segment (`tools[3] ("search_docs")`, `system[0]`),
    `.index` is its position in cache order, `.reason` the full phrase (`messages[0..2] dropped
    from the front`), and `.report` the whole DriftReport.
    """

    def __init__(self, report: DriftReport) -> None:
        self.report = report
        self.segment = report.segment
        self.index = report.index
        self.reason = report.reason
        super().__init__(str(report))


class InternalErrors:
    """Logs one component's internal errors (call from an `except` block) without flooding the
    application's log when the same fault repeats on every call: the first `burst` with their
    traceback, then a count every `every`-th time; the rest go to DEBUG."""

    def __init__(self, burst: int = 5, every: int = 1000) -> None:
        self.burst = burst
        self.every = every
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, message: str) -> None:
        with self._lock:
            self.count += 1
            count = self.count
        if count <= self.burst:
            logger.exception(message)
        elif count % self.every == 0:
            logger.error("%s (%s internal errors so far; the first %s were logged with tracebacks)", message, f"{count:,}", self.burst)
        else:
            logger.debug(message, exc_info=True)
