"""CL1xx: volatile values (clocks, random ids) that reach the cached prefix of a request."""

from __future__ import annotations

from collections import defaultdict

from cachelint.catalogue import Rule
from cachelint.diagnostics import SEGMENTS, SEVERITIES, Diagnostic, Location, Related
from cachelint.engine.dataflow import SinkHit
from cachelint.engine.values import PER_CALL, PER_PROCESS, PER_SESSION

CLOCK_SEVERITY = {
    "microsecond": "high",
    "second": "high",
    "minute": "high",
    "hour": "medium",
    "day": "low",
    "week": "low",
    "month": "info",
    "year": "info",
}
CLOCK_CHANGES = {
    "microsecond": "changes on every call",
    "second": "changes every second",
    "minute": "changes every minute",
    "hour": "changes every hour",
    "day": "changes every day",
    "week": "changes every week",
    "month": "changes every month",
    "year": "changes every year",
}
SCOPE_WORDS = {
    PER_CALL: "",
    PER_SESSION: ", computed once per session (per conversation or agent object),",
    PER_PROCESS: ", computed once per process (so it differs between restarts and workers),",
}
SEGMENT_WORDS = {"tools": "tool definitions", "system": "system prompt", "messages": "earlier messages", "params": "request parameters"}


def volatile_diagnostics(hits: list[SinkHit], rules: dict[str, Rule], filename: str) -> list[Diagnostic]:
    """One diagnostic per volatile source location, listing every request it reaches."""
    grouped: dict[tuple[str, int, int], list[SinkHit]] = defaultdict(list)
    for hit in hits:
        if hit.fact.rule in rules:
            grouped[(hit.fact.rule, hit.fact.line, hit.fact.column)].append(hit)
    out: list[Diagnostic] = []
    for (code, _, _), group in grouped.items():
        rule = rules[code]
        fact = group[0].fact
        segment = min((h.segment for h in group), key=SEGMENTS.index)
        scope = _most_frequent_scope(group)
        first = min(group, key=lambda h: (SEGMENTS.index(h.segment), h.site.span))
        severity = _severity(code, _finest(group), scope)
        what = _describe(code, fact.source, fact.kind, _finest(group))
        site = first.site
        message = (
            f"{what}{SCOPE_WORDS[scope]} reaches the cached {SEGMENT_WORDS[segment]} (`{segment}`) of "
            f"`{site.text}`: {_cost(scope, _finest(group))}; {rule.fix}"
        )
        related = tuple(
            Related(
                filename=filename,
                location=Location(h.site.span[0], h.site.span[1]),
                message=f"enters `{h.segment}` here, through `{h.site.argument}=` of `{h.site.text}`",
            )
            for h in sorted(group, key=lambda h: (h.site.span, h.segment))
        )
        out.append(
            Diagnostic(
                code=code,
                name=rule.name,
                message=message,
                filename=filename,
                location=Location(fact.line, fact.column),
                end_location=Location(fact.end_line, fact.end_column),
                severity=severity,
                segment=segment,
                related=_dedupe(related),
                help=rule.fix,
                url=rule.url,
            )
        )
    return out


def _dedupe(related: tuple[Related, ...]) -> tuple[Related, ...]:
    seen: list[Related] = []
    for r in related:
        if r not in seen:
            seen.append(r)
    return tuple(seen)


def _most_frequent_scope(group: list[SinkHit]) -> str:
    scopes = {h.scope for h in group}
    for scope in (PER_CALL, PER_SESSION, PER_PROCESS):
        if scope in scopes:
            return scope
    return PER_CALL


def _finest(group: list[SinkHit]) -> str | None:
    order = list(CLOCK_SEVERITY)
    found = [h.fact.granularity for h in group if h.fact.granularity in CLOCK_SEVERITY]
    return min(found, key=order.index) if found else None


def _severity(code: str, granularity: str | None, scope: str) -> str:
    base = CLOCK_SEVERITY.get(granularity or "microsecond", "high") if code == "CL101" else "high"
    if scope != PER_CALL:
        # A value frozen per conversation or process breaks the cache less often: one step lower.
        base = SEVERITIES[min(SEVERITIES.index(base) + 1, len(SEVERITIES) - 1)]
    return base


def _describe(code: str, source: str, kind: str, granularity: str | None) -> str:
    if code == "CL101":
        changes = CLOCK_CHANGES.get(granularity or "microsecond", "changes on every call")
        return f"Clock value `{source}` ({changes})"
    return f"{kind[0].upper()}{kind[1:]} `{source}`"


def _cost(scope: str, granularity: str | None) -> str:
    if granularity in ("hour", "day", "week", "month", "year"):
        return f"the cached prefix is re-written at 1.25x once every {granularity} instead of being read at 0.1x"
    if scope == PER_PROCESS:
        return "each new process re-writes the prefix at 1.25x instead of reading it at 0.1x"
    if scope == PER_SESSION:
        return "each new session re-writes the shared prefix at 1.25x instead of reading it at 0.1x"
    return "every call re-writes the prefix at 1.25x instead of reading it at 0.1x"
