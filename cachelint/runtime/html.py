"""`cachelint report LOG --html FILE`: one self-contained HTML page to look at.

Per conversation, a timeline of its calls as stacked bars (inline SVG): tokens read from the
cache, written to it, and sent uncached. Drift events are marked on the bar of the call where
the prefix changed, with the segment named and the money lost. No scripts, fonts or styles are
fetched from anywhere, so the file opens offline and can be attached to a ticket.
"""

from __future__ import annotations

from html import escape
from typing import Any

from cachelint.runtime.drift import money
from cachelint.runtime.report import Summary

COLOURS = {"read": "#2e9e5b", "written": "#e08a1e", "uncached": "#8c96a3"}
LABELS = {"read": "read from cache", "written": "written to cache", "uncached": "uncached"}
DRIFT = "#d33c3c"
CHART_WIDTH, CHART_HEIGHT, MARGIN = 760, 220, 48
STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 900px; color: #222; background: #fff; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
section { border-top: 1px solid #ddd; }
.meta { color: #555; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; }
ol.drifts li { margin: 0.3em 0; } .lost { color: #d33c3c; font-weight: 600; }
code { background: #f3f3f3; padding: 0 0.2em; }
"""


def render_html(records: list[dict[str, Any]], summaries: list[Summary]) -> str:
    """The whole report page; `summaries` gives the order (costliest first) and the totals."""
    calls: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        calls.setdefault(rec.get("conversation") or "?", []).append(rec)
    total_lost = sum(s.lost for s in summaries)
    priced = any(s.priced for s in summaries)
    head = f"{len(summaries)} conversation(s), {sum(s.calls for s in summaries)} call(s), {sum(len(s.drifts) for s in summaries)} drift event(s)"
    if priced:
        head += f", {money(total_lost)} lost to drift and misses"
    legend = "".join(f'<span><i style="background:{COLOURS[k]}"></i>{LABELS[k]}</span>' for k in COLOURS)
    legend += f'<span><i style="background:{DRIFT}"></i>drift (prefix changed)</span>'
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>cachelint report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>cachelint report</h1>",
        f'<p class="meta">{escape(head)}</p>',
        f'<p class="legend">{legend}</p>',
    ]
    if not summaries:
        parts.append("<p>No calls found.</p>")
    for summary in summaries:
        parts.append(_conversation(summary, calls.get(summary.conversation, [])))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _conversation(summary: Summary, calls: list[dict[str, Any]]) -> str:
    model = f" {summary.model}" if summary.model else ""
    if summary.has_usage:
        meta = f"{summary.provider}{model}: {summary.calls} call(s), hit rate {summary.hit_rate:.0%}; tokens {summary.read:,} read, {summary.written:,} written, {summary.uncached:,} uncached"
    else:
        meta = f"{summary.provider}{model}: {summary.calls} call(s), usage unknown (no responses recorded)"
    if summary.priced:
        meta += f"; {money(summary.spent)} spent, {money(summary.lost)} lost"
    out = [
        "<section>",
        f"<h2>Conversation {escape(summary.conversation)}</h2>",
        f'<p class="meta">{escape(meta)}</p>',
        _timeline(summary.conversation, calls),
    ]
    if summary.drifts:
        out.append('<ol class="drifts">')
        for drift in sorted(summary.drifts, key=lambda d: d.get("turn") or 0):
            out.append(f"<li>{_drift_text(drift)}</li>")
        out.append("</ol>")
    out.append("</section>")
    return "\n".join(out)


def _drift_text(drift: dict[str, Any]) -> str:
    detail = f" ({escape(str(drift['detail']))})" if drift.get("detail") else ""
    lost = f' <span class="lost">{escape(money(drift["cost_lost"]))} lost</span>' if drift.get("cost_lost") else ""
    tokens = f", ~{drift['tokens_invalidated']:,} tokens re-written" if drift.get("tokens_invalidated") else ""
    fix = f"<br>fix: {escape(str(drift['fix']))}" if drift.get("fix") else ""
    return f"turn {escape(str(drift.get('turn')))}: <code>{escape(str(drift.get('where')))}</code> changed{detail}{tokens}{lost}{fix}"


def _usage(rec: dict[str, Any]) -> dict[str, int]:
    usage = rec.get("usage") or {}
    return {
        "read": int(usage.get("read", 0) or 0),
        "written": int(usage.get("write_5m", 0) or 0) + int(usage.get("write_1h", 0) or 0),
        "uncached": int(usage.get("uncached", 0) or 0),
    }


def _timeline(conversation: str, calls: list[dict[str, Any]]) -> str:
    """Stacked bars, one per call, scaled to the conversation's largest call; drift calls marked."""
    usages = [_usage(rec) for rec in calls]
    peak = max((sum(u.values()) for u in usages), default=0) or 1
    plot_width = CHART_WIDTH - 2 * MARGIN
    plot_height = CHART_HEIGHT - 2 * MARGIN
    step = plot_width / max(len(calls), 1)
    bar = max(min(step * 0.7, 40), 1)
    base = MARGIN + plot_height
    title = f"Tokens per call in conversation {conversation}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{MARGIN}" y1="{base}" x2="{MARGIN + plot_width}" y2="{base}" stroke="#999"/>',
        f'<text x="{MARGIN - 6}" y="{MARGIN + 4}" text-anchor="end" font-size="11">{peak:,}</text>',
        f'<text x="{MARGIN - 6}" y="{base + 4}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, (rec, usage) in enumerate(zip(calls, usages)):
        x = MARGIN + i * step + (step - bar) / 2
        y = float(base)
        for kind in ("read", "written", "uncached"):
            height = usage[kind] / peak * plot_height
            if height <= 0:
                continue
            y -= height
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{COLOURS[kind]}">'
                f"<title>call {i + 1}: {usage[kind]:,} tokens {LABELS[kind]}</title></rect>"
            )
        label = rec.get("turn", i + 1)
        out.append(f'<text x="{x + bar / 2:.1f}" y="{base + 14}" text-anchor="middle" font-size="10">{escape(str(label))}</text>')
        drift = rec.get("drift")
        if drift:
            where = str(drift.get("where") or drift.get("segment") or "?")
            lost = f", {money(drift['cost_lost'])} lost" if drift.get("cost_lost") else ""
            cx = x + bar / 2
            out.append(
                f'<g class="drift"><line x1="{cx:.1f}" y1="{MARGIN - 8}" x2="{cx:.1f}" y2="{base}" stroke="{DRIFT}" stroke-width="2" stroke-dasharray="4 3"/>'
                f'<circle cx="{cx:.1f}" cy="{MARGIN - 12}" r="5" fill="{DRIFT}"/>'
                f'<text x="{cx:.1f}" y="{MARGIN - 22}" text-anchor="middle" font-size="11" fill="{DRIFT}">{escape(where)}{escape(lost)}</text>'
                f"<title>drift at turn {escape(str(drift.get('turn')))}: {escape(where)} changed{escape(lost)}</title></g>"
            )
    out.append(f'<text x="{MARGIN + plot_width / 2:.1f}" y="{CHART_HEIGHT - 8}" text-anchor="middle" font-size="11">turn</text>')
    out.append("</svg>")
    return "\n".join(out)
