"""The one exception the companion lets reach the caller, and only in assertion mode."""

from __future__ import annotations

from cachelint.runtime.drift import DriftReport


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
