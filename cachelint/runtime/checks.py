"""Checks on the real request bodies and usage: breakpoints, minimums, TTL gaps, misses.

Names follow the static rules where one exists (CL402 too-many-breakpoints, CL403
ttl-order-violation, CL404 breakpoint-below-minimum, CL405 missing-breakpoint), so the runtime
and the static checker speak one vocabulary.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import asdict, dataclass
from itertools import accumulate
from typing import Any

from cachelint.providers import TTL_SECONDS, ModelFacts
from cachelint.runtime.accounting import Usage
from cachelint.runtime.drift import BYTES_PER_TOKEN
from cachelint.runtime.segments import Breakpoint, Fingerprint

_MIN_TTL = 300
_TTL_RANK = {"1h": 2, "24h": 3, "30m": 1, "5m": 0, "default": 0, "in_memory": 0}


@dataclass(frozen=True)
class Finding:
    name: str
    code: str | None
    severity: str  # high | medium | low | info
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _tokens(fp: Fingerprint, bp: Breakpoint) -> int:
    """Estimated tokens from the start through breakpoint `bp`'s block."""
    # The segments before the first one that brings the block count to bp.block, and that one.
    # Usually that is the marked segment itself, which two sums confirm; otherwise (a marker with
    # no block of its own before it) a search over the running block counts. Both run in C, since
    # a breakpoint on the newest message means every segment of the request.
    blocks = fp.blocks
    count = bp.segment + 1
    if not (count <= len(blocks) and blocks[bp.segment] > 0 and sum(blocks[:count]) == bp.block):
        count = bisect_left(list(accumulate(blocks)), bp.block) + 1 if bp.block > 0 else 0
    return sum(fp.sizes[:count]) // BYTES_PER_TOKEN


def _ttl_seconds(fp: Fingerprint, facts: ModelFacts | None) -> int:
    ttls = [bp.ttl for bp in fp.breakpoints]
    if "1h" in ttls:
        return 3600
    if fp.provider == "openai" and facts is not None:
        return max(TTL_SECONDS.get(t, 300) for t in facts.ttls) if "30m" in facts.ttls else 300
    return 300


def request_checks(fp: Fingerprint, prev: Fingerprint | None, facts: ModelFacts | None, gap: float | None) -> list[Finding]:
    """Findings on one request, before it is sent (prev: the conversation's previous request)."""
    # Runs before every call: lists built once, and nothing computed that no check will use.
    out: list[Finding] = []
    bps = fp.breakpoints
    openai = fp.provider == "openai"
    if bps:
        limit = facts.max_breakpoints if facts is not None and facts.max_breakpoints else 4
        if not openai and len(bps) > limit:
            out.append(Finding("too-many-breakpoints", "CL402", "high", f"{len(bps)} cache breakpoints, the limit is {limit}: the API rejects this request (HTTP 400)"))
        if "1h" in [bp.ttl for bp in bps]:  # only a 1h breakpoint can be out of order
            seen_short = False
            for bp in bps:
                if _TTL_RANK.get(bp.ttl, 0) == 0:
                    seen_short = True
                elif seen_short and bp.ttl == "1h":
                    out.append(Finding("ttl-order-violation", "CL403", "high", f"a ttl=1h breakpoint at {fp.label(bp.segment)} comes after a 5m one: longer TTLs must come first (HTTP 400)"))
                    break
        blocks = [bp.block for bp in bps]
        if facts is not None and not openai:
            # A longer prefix has at least as many tokens: only the earliest breakpoint can fall short.
            first = bps[blocks.index(min(blocks))]
            tokens = _tokens(fp, first)
            if tokens < facts.min_tokens_low:
                out.append(
                    Finding(
                        "breakpoint-below-minimum",
                        "CL404",
                        "info",
                        f"the breakpoint at {fp.label(first.segment)} covers ~{tokens:,} tokens, below the {facts.min_tokens_low:,}-token "
                        f"minimum for {fp.model} ({facts.where}): it caches nothing",
                    )
                )
        if prev is not None and prev.breakpoints:
            last, prev_last = max(blocks), max([b.block for b in prev.breakpoints])
            lookback = facts.lookback_blocks if facts is not None and facts.lookback_blocks else 20
            if last < prev_last:
                out.append(Finding("breakpoint-moved-earlier", None, "medium", f"the last breakpoint moved from block {prev_last} to block {last}: the entry written last turn is not read"))
            elif not openai and last - prev_last >= lookback and not any(prev_last < b <= prev_last + lookback for b in blocks):
                out.append(
                    Finding(
                        "lookback-overflow",
                        None,
                        "medium",
                        f"{last - prev_last} blocks since the previous request's last breakpoint, the lookback is {lookback}: "
                        "the read will miss; add a breakpoint closer to the previous one",
                    )
                )
    # No cache TTL is shorter than 5 minutes.
    if prev is not None and gap is not None and gap > _MIN_TTL and (prev.breakpoints or openai):
        ttl = _ttl_seconds(prev, facts)
        if gap > ttl:
            out.append(
                Finding(
                    "ttl-gap",
                    None,
                    "low",
                    f"{_duration(gap)} since the previous call exceeds the {_duration(ttl)} cache TTL: the prefix will be written again"
                    + (" (use ttl 1h or pre-warm)" if ttl < 3600 <= gap * 12 else ""),
                )
            )
    if not bps and facts is not None and not openai and prev is not None and fp.total_bytes // BYTES_PER_TOKEN > facts.min_tokens_high:
        out.append(
            Finding("missing-breakpoint", "CL405", "info", f"no cache breakpoint on a repeated ~{fp.total_bytes // BYTES_PER_TOKEN:,}-token prompt: every call pays full price")
        )
    return out


def usage_checks(fp: Fingerprint, usage: Usage, prev_usage: Usage | None, drifted: bool, gap: float | None, facts: ModelFacts | None) -> list[Finding]:
    """Explain a miss on a prefix that did not drift, and flag writes that are never read."""
    out: list[Finding] = []
    cached_before = prev_usage is not None and (prev_usage.read + prev_usage.write) > 0
    if drifted or usage.read > 0 or prev_usage is None:
        if usage.read == 0 and usage.write == 0 and fp.breakpoints and facts is not None and usage.total_input < facts.min_tokens_high:
            out.append(_below_minimum(fp, usage, facts))
        return out
    if usage.write == 0 and usage.read == 0:
        if fp.breakpoints and facts is not None and usage.total_input < facts.min_tokens_high:
            out.append(_below_minimum(fp, usage, facts))
        return out
    if not cached_before:
        return out
    ttl = _ttl_seconds(fp, facts)
    if gap is not None and gap > ttl:
        cause = f"the {_duration(gap)} gap exceeded the {_duration(ttl)} TTL"
        name = "ttl-gap"
    else:
        cause = "the prefix did not change and the TTL had not expired: concurrent requests (cold fan-out), a lookback overflow, another workspace or API key, or a cross-region route"
        name = "write-never-read" if prev_usage is not None and prev_usage.write > 0 else "unexplained-miss"
    out.append(Finding(name, None, "medium", f"cache miss on an unchanged prefix ({usage.write:,} tokens written, 0 read): {cause}"))
    return out


def _below_minimum(fp: Fingerprint, usage: Usage, facts: ModelFacts) -> Finding:
    return Finding(
        "breakpoint-below-minimum",
        "CL404",
        "info",
        f"a breakpoint is set but nothing was read or written: {usage.total_input:,} input tokens may be below the "
        f"{facts.min_tokens_low:,}-{facts.min_tokens_high:,} minimum for {fp.model} ({facts.where})"
        if facts.min_tokens_low != facts.min_tokens_high
        else f"a breakpoint is set but nothing was read or written: {usage.total_input:,} input tokens, the minimum for {fp.model} is "
        f"{facts.min_tokens_low:,} ({facts.where})",
    )


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"
