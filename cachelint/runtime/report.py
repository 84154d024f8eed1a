"""Offline reading: `cachelint report` summaries and `cachelint diff` on saved request bodies.

Input is either cachelint's own JSON-lines log, or saved request bodies (a JSON object, a JSON
array, or JSON lines) of any of the three providers, optionally as
`{"request": {...}, "response": {...}, "conversation": "..."}` so usage is read from the response.
Bodies go through the same tracker as live traffic, so the words are the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cachelint.runtime.drift import DriftReport, money
from cachelint.runtime.segments import detect_api
from cachelint.runtime.tracker import PrefixTracker


class InputError(Exception):
    """A file that cannot be read as a log or as request bodies."""


def read_items(path: Path) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    stripped = text.strip()
    if not stripped:
        return []
    try:
        data = json.loads(stripped)
        return data if isinstance(data, list) else [data]
    except ValueError:
        pass
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except ValueError as exc:
                raise InputError(f"{path}:{n}: not JSON: {exc.msg}") from None
    return items


def _request_of(item: Any) -> tuple[dict[str, Any], Any, str | None] | None:
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("request"), dict):
        response = item.get("response")
        usage = response.get("usage") if isinstance(response, dict) else None
        if isinstance(response, dict) and usage is None:
            usage = response.get("metadata", {}).get("usage") if isinstance(response.get("metadata"), dict) else None
        return item["request"], usage, item.get("conversation")
    if any(k in item for k in ("messages", "system", "tools", "input", "instructions", "modelId", "toolConfig")):
        return item, None, None
    return None


def records_from(paths: list[Path], *, keep_text: bool = False) -> list[dict[str, Any]]:
    """Log records, from cachelint logs as they are and from request bodies by replaying them."""
    records: list[dict[str, Any]] = []
    tracker = PrefixTracker(keep_text=keep_text, log=records.append, max_conversations=100_000)
    for path in paths:
        for n, item in enumerate(read_items(path), 1):
            if isinstance(item, dict) and item.get("cachelint") == 1:
                records.append(item)
                continue
            found = _request_of(item)
            if found is None:
                raise InputError(f"{path}: item {n} is neither a cachelint log line nor a request body")
            body, usage, conversation = found
            tracker.observe(body, provider=detect_api(body)[0], conversation=conversation, usage=usage)
    return records


@dataclass
class Summary:
    conversation: str
    provider: str = ""
    model: str | None = None
    calls: int = 0
    errors: int = 0
    retries: int = 0
    uncached: int = 0
    read: int = 0
    written: int = 0
    spent: float = 0.0
    lost: float = 0.0
    priced: bool = False
    has_usage: bool = False  # saved request bodies carry no response, so no usage
    drifts: list[dict[str, Any]] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)

    @property
    def hit_rate(self) -> float:
        total = self.uncached + self.read + self.written
        return self.read / total if total else 0.0

    @property
    def tokens(self) -> int:
        return self.uncached + self.read + self.written

    def to_dict(self) -> dict[str, Any]:
        return {
            "conversation": self.conversation,
            "provider": self.provider,
            "model": self.model,
            "calls": self.calls,
            "retries": self.retries,
            "errors": self.errors,
            "hit_rate": round(self.hit_rate, 4) if self.has_usage else None,
            "tokens": {"uncached": self.uncached, "read": self.read, "written": self.written} if self.has_usage else None,
            "spent": round(self.spent, 6) if self.priced else None,
            "lost": round(self.lost, 6) if self.priced else None,
            "drifts": self.drifts,
            "findings": self.findings,
        }


def summarize(records: list[dict[str, Any]]) -> list[Summary]:
    """One summary per conversation, the costliest first."""
    by_conv: dict[str, Summary] = {}
    for rec in records:
        s = by_conv.setdefault(rec.get("conversation") or "?", Summary(rec.get("conversation") or "?"))
        s.provider, s.model = rec.get("provider") or s.provider, rec.get("model") or s.model
        if rec.get("attempt"):
            s.retries += 1
        else:
            s.calls += 1
        s.errors += 1 if rec.get("error") else 0
        usage = rec.get("usage") or {}
        s.has_usage = s.has_usage or bool(rec.get("usage"))
        s.uncached += usage.get("uncached", 0)
        s.read += usage.get("read", 0)
        s.written += usage.get("write_5m", 0) + usage.get("write_1h", 0)
        cost = rec.get("cost")
        if cost:
            s.priced = True
            s.spent += cost.get("actual", 0.0)
            s.lost += cost.get("lost", 0.0)
        drift = rec.get("drift")
        if drift:
            s.drifts.append({k: drift.get(k) for k in ("turn", "where", "detail", "kind", "section", "tokens_invalidated", "cost_lost", "fix")})
        for f in rec.get("findings") or ():
            s.findings[f["name"]] = s.findings.get(f["name"], 0) + 1
    for s in by_conv.values():
        s.drifts.sort(key=lambda d: (-(d.get("cost_lost") or 0.0), -(d.get("tokens_invalidated") or 0)))
    return sorted(by_conv.values(), key=lambda s: (-s.lost, -len(s.drifts), s.conversation))


def format_text(summaries: list[Summary], top: int = 5) -> str:
    if not summaries:
        return "cachelint report: no calls found"
    lines = []
    total_calls = sum(s.calls for s in summaries)
    total_drifts = sum(len(s.drifts) for s in summaries)
    spent = sum(s.spent for s in summaries)
    lost = sum(s.lost for s in summaries)
    priced = any(s.priced for s in summaries)
    head = f"cachelint report: {len(summaries)} conversation(s), {total_calls} call(s), {total_drifts} drift event(s)"
    if priced:
        head += f", {money(spent)} spent, {money(lost)} lost to drift and misses"
        unpriced = [s for s in summaries if not s.priced and s.tokens]
        if unpriced:
            head += f" (not counted: {sum(s.tokens for s in unpriced):,} tokens of {len(unpriced)} conversation(s) whose model has no price)"
    lines.append(head)
    for s in summaries:
        lines.append("")
        model = f" {s.model}" if s.model else ""
        if not s.has_usage:
            lines.append(f'conversation "{s.conversation}" ({s.provider}{model}): {s.calls} call(s), usage unknown (no responses recorded)')
        else:
            retried = f" (+{s.retries} retr{'y' if s.retries == 1 else 'ies'})" if s.retries else ""
            lines.append(f'conversation "{s.conversation}" ({s.provider}{model}): {s.calls} call(s){retried}, hit rate {s.hit_rate:.0%}')
            lines.append(f"  tokens: {s.read:,} read, {s.written:,} written, {s.uncached:,} uncached")
        if s.priced:
            lines.append(f"  money: {money(s.spent)} spent, {money(s.lost)} lost")
        elif s.read or s.written or s.uncached:
            lines.append("  money: no input price for this model in rules/providers.yaml")
        for d in s.drifts[:top]:
            cost = f", {money(d['cost_lost'])}" if d.get("cost_lost") else ""
            detail = f" ({d['detail']})" if d.get("detail") else ""
            lines.append(f"  drift at turn {d['turn']}: {d['where']}{detail}: ~{d['tokens_invalidated']:,} tokens{cost}")
            lines.append(f"    fix: {d['fix']}")
        if len(s.drifts) > top:
            lines.append(f"  ... {len(s.drifts) - top} more drift event(s)")
        for name, count in sorted(s.findings.items()):
            lines.append(f"  check {name}: {count} call(s)")
    return "\n".join(lines)


def diff_bodies(a: Any, b: Any, *, keep_text: bool = True) -> DriftReport | None:
    """The first diverging segment between two request bodies, as the live report names it."""
    tracker = PrefixTracker(keep_text=keep_text)
    tracker.observe(a, provider=detect_api(a)[0], conversation="diff")
    return tracker.observe(b, provider=detect_api(b)[0], conversation="diff")


def load_body(path: Path) -> dict[str, Any]:
    """The request in a saved file (the last one, when the file holds several)."""
    items = [f for f in (_request_of(i) for i in read_items(path)) if f is not None]
    if not items:
        raise InputError(f"{path}: no request body found")
    return items[-1][0]
