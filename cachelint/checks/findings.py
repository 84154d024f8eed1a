"""Build a structural finding (CL4xx, CL5xx): located at the offending statement, the request in `related`."""

from __future__ import annotations

import libcst as cst

from cachelint.catalogue import Rule
from cachelint.checks.astutil import ModuleIndex, Request
from cachelint.diagnostics import Diagnostic, Location, Related


def diagnostic(
    rule: Rule,
    index: ModuleIndex,
    node: cst.CSTNode,
    message: str,
    filename: str,
    segment: str | None,
    related: tuple[Related, ...] = (),
    severity: str | None = None,
) -> Diagnostic:
    """A diagnostic spanning `node`, with the rule's metadata."""
    line, column, end_line, end_column = index.span(node)
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        message=message,
        filename=filename,
        location=Location(line, column),
        end_location=Location(end_line, end_column),
        severity=severity or rule.severity,
        segment=segment,
        related=related,
        help=rule.fix,
        url=rule.url,
    )


def sink_related(index: ModuleIndex, request: Request, filename: str) -> tuple[Related, ...]:
    """The request call, as the `related` entry of a finding about it."""
    line, column, _, _ = index.span(request.call)
    return (Related(filename, Location(line, column), f"the request is sent here, by `{index.analysis.call_text(request.call)}`"),)
