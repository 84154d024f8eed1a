"""CL1xx: volatile values (clocks, random ids) that reach the cached prefix of a request."""

from __future__ import annotations

from collections import defaultdict

import libcst as cst

from cachelint.catalogue import Rule
from cachelint.checks.astutil import last_name
from cachelint.checks.pricing import priced
from cachelint.diagnostics import SEGMENTS, SEVERITIES, Diagnostic, Location, Related
from cachelint.engine.dataflow import SHAPE_PROVIDER, SinkHit
from cachelint.engine.nodes import string_value, walk
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
FAMILY_COST = {
    "CL1": "each process or host writes its own copy of the prefix at 1.25x instead of sharing one read at 0.1x",
    "CL2": "each process that sees another order writes its own copy of the prefix at 1.25x instead of reading it at 0.1x",
    "CL301": "every request re-writes the static text after it at 1.25x instead of reading it at 0.1x",
    "CL302": "every turn re-writes the whole conversation after the system prompt at 1.25x instead of reading it at 0.1x",
}
SEGMENT_WORDS = {"tools": "tool definitions", "system": "system prompt", "messages": "earlier messages", "params": "request parameters"}


NOT_CACHED_YET = (
    "; this module sets no cache breakpoint, so nothing of this request is cached yet and today this costs nothing: it "
    "will once a breakpoint (`cache_control`, or a Bedrock `cachePoint`) caches the prompt"
)


def volatile_diagnostics(
    hits: list[SinkHit], rules: dict[str, Rule], filename: str, module: cst.Module | None = None, breakpoint_keys: tuple[str, ...] = ()
) -> list[Diagnostic]:
    """One diagnostic per volatile source location, listing every request it reaches. `module`:
    the parsed module, to tell Anthropic and Bedrock requests that nothing caches yet (they cache
    only up to a breakpoint, and the module spells none of `breakpoint_keys`)."""
    uncached: bool | None = None if module is not None else False
    grouped: dict[tuple[str, str, int], list[SinkHit]] = defaultdict(list)
    for hit in hits:
        if hit.fact.rule in rules:
            # A value built in another module is reported there, where it is produced.
            grouped[(hit.fact.file or filename, hit.fact.rule, hit.fact.line)].append(hit)
    out: list[Diagnostic] = []
    for (source_file, code, _), group in grouped.items():
        rule = rules[code]
        fact = min((h.fact for h in group), key=lambda f: f.column)
        segment = min((h.segment for h in group), key=SEGMENTS.index)
        scope = _most_frequent_scope(group)
        # Name the request call in the message when one is reached; a shape (a tool dict) is a fallback.
        first = min(group, key=lambda h: (h.site.provider == SHAPE_PROVIDER, SEGMENTS.index(h.segment), h.site.span))
        per_call_family = code in ("CL101", "CL102")
        if not per_call_family:
            # Identity and order vary per process or host by nature; when they were computed does not matter.
            scope = PER_CALL
        severity = _severity(code, fact.severity or rule.severity, _finest(group), scope)
        what = rule.describe.format(
            source=fact.source, kind=fact.kind, Kind=fact.kind[:1].upper() + fact.kind[1:], changes=CLOCK_CHANGES.get(_finest(group) or "microsecond", "changes on every call")
        )
        site = first.site
        cost = _cost(scope, _finest(group)) if per_call_family else FAMILY_COST.get(code) or FAMILY_COST[code[:3]]
        # A request call is named; a prompt-shaped dict built far from the call is described.
        # Messages never name a line (the place is in `related`): fingerprints must survive edits above.
        target = f"of `{site.text}`" if site.provider != SHAPE_PROVIDER else f"through a {site.text}"
        message = f"{what}{SCOPE_WORDS[scope]} reaches the cached {SEGMENT_WORDS[segment]} (`{segment}`) {target}: {cost}; {rule.fix}"
        message = priced(message, [h.site.provider for h in group if h.site.provider != SHAPE_PROVIDER])
        if all(h.site.provider in ("anthropic", "bedrock") and not h.site.file for h in group):
            if uncached is None:
                requests = {h.site.text.rsplit(".", 1)[-1].split("(", 1)[0] for h in hits}
                uncached = not sets_breakpoints(module, breakpoint_keys, requests)
            if uncached:
                severity = "low"
                message += NOT_CACHED_YET
        # One finding per rule and line: the other sources there are named, so one fix covers them.
        others = sorted({h.fact.source for h in group} - {fact.source})
        if others:
            message += "; the same goes for " + ", ".join(f"`{o}`" for o in others) + " on this line"
        related = tuple(
            Related(
                filename=h.site.file or filename,
                location=Location(h.site.span[0], h.site.span[1]),
                message=_related_message(h),
            )
            for h in sorted(group, key=lambda h: (h.site.file, h.site.span, h.segment, h.site.argument, h.site.sink_id))
        )
        out.append(
            Diagnostic(
                code=code,
                name=rule.name,
                message=message,
                filename=source_file,
                location=Location(fact.line, fact.column),
                end_location=Location(fact.end_line, fact.end_column),
                severity=severity,
                segment=segment,
                related=tuple(dict.fromkeys(related)),
                help=rule.fix,
                url=rule.url,
            )
        )
    return out


def _related_message(hit: SinkHit) -> str:
    if hit.site.provider == SHAPE_PROVIDER:
        what = "text" if hit.site.argument.isdigit() else f"`{hit.site.argument}`"  # a `(role, text)` pair's position
        return f"becomes the {what} of a {hit.site.sink_id} here, part of `{hit.segment}`"
    return f"enters `{hit.segment}` here, through `{hit.site.argument}=` of `{hit.site.text}`"


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


def _severity(code: str, default: str, granularity: str | None, scope: str) -> str:
    base = CLOCK_SEVERITY.get(granularity or "microsecond", "high") if code == "CL101" else default
    if scope != PER_CALL:
        # A value frozen per conversation or process breaks the cache less often: one step lower.
        base = SEVERITIES[min(SEVERITIES.index(base) + 1, len(SEVERITIES) - 1)]
    return base


def _cost(scope: str, granularity: str | None) -> str:
    if granularity in ("hour", "day", "week", "month", "year"):
        return f"the cached prefix is re-written at 1.25x once every {granularity} instead of being read at 0.1x"
    if scope == PER_PROCESS:
        return "each new process re-writes the prefix at 1.25x instead of reading it at 0.1x"
    if scope == PER_SESSION:
        return "each new session re-writes the shared prefix at 1.25x instead of reading it at 0.1x"
    return "every call re-writes the prefix at 1.25x instead of reading it at 0.1x"


def sets_breakpoints(module: cst.Module | None, keys: tuple[str, ...], requests: set[str]) -> bool:
    """Whether the module spells a breakpoint anywhere: one of `keys` (`cache_control`,
    `cachePoint`) as a string or keyword (comments aside), or a `**` splat that could bring one into
    a request (a call whose last name is one of `requests`: `create` for `client.messages.create`;
    `SKILLS[name](**parameters)` dispatching a tool brings none)."""
    for node in walk(module) if module is not None else ():
        if type(node) is cst.SimpleString and string_value(node) in keys:
            return True
        if type(node) is cst.Arg and node.keyword is not None and node.keyword.value in keys:
            return True
        if type(node) is cst.Call and any(arg.star == "**" for arg in node.args):
            # The request itself, or a forwarder handed it (`asyncio.to_thread(client.messages.create, **opts)`).
            callees = [node.func, *(arg.value for arg in node.args if arg.keyword is None and not arg.star)]
            if any(last_name(callee) in requests for callee in callees):
                return True
    return False
