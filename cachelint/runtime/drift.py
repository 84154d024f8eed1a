"""Compare two requests of one conversation and name the first diverging segment.

Chained hashes have the prefix property (equal at i means equal up to i), so the first
difference is found by bisection. An append-only history (the previous request is a prefix of
this one) is not drift. Otherwise the change is classified in the user's terms: a tool by name
and the field that changed, tools reordered, a system block, a history rewritten, dropped from the
front or compacted, a cache-keying parameter.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass
from typing import Any

from cachelint.runtime.redact import redact
from cachelint.runtime.segments import MESSAGES, PARAMS, SYSTEM, TOOLS, Fingerprint
from cachelint.runtime.serialize import hex64, loads

BYTES_PER_TOKEN = 4  # rough: JSON-wrapped prose; used only when the provider's counts are unknown

_FIXES = {
    "tool_changed": "keep tool definitions constant for the session; move dynamic data (dates, lists, counts) into a message",
    "tools_reordered": "sort tools by a stable key before sending, e.g. sorted(tools, key=lambda t: t['name'])",
    "tool_added": "keep the tool set constant per session (or use tool search / defer_loading)",
    "tool_removed": "keep the tool set constant per session (or use tool search / defer_loading)",
    "system_changed": "move volatile values (time, ids, counters) out of the system prompt into the newest message, or put a breakpoint before them",
    "system_added": "keep the number of system blocks constant; append volatile context after the last breakpoint",
    "system_removed": "keep the number of system blocks constant; append volatile context after the last breakpoint",
    "message_rewritten": "keep history append-only; edit or prune old turns only at compaction points",
    "system_message_rewritten": "move volatile values (time, ids, counters) out of the system message into the newest user message",
    "message_removed": "keep history append-only; remove old turns only at compaction points",
    "message_inserted": "append new turns at the end instead of inserting them into the history",
    "dropped_front": "evict history in large chunks (hysteresis) or summarise at a threshold instead of a sliding window",
    "compacted": "expected after a compaction; the cache warms again from the next turn",
    "param_changed": "keep this parameter constant within a conversation",
    "param_added": "keep this parameter constant within a conversation",
    "param_removed": "keep this parameter constant within a conversation",
    "model_changed": "pin the model per conversation; if you must fall back, stay on the fallback",
}


@dataclass(frozen=True)
class DriftReport:
    """The first segment where a request stopped matching the previous one of its conversation."""

    conversation: str
    turn: int
    provider: str
    model: str | None
    index: int  # segment index in cache order
    segment: str  # `tools[3] ("search_docs")`, `system[0]`, `messages[4]`, `param tool_choice`
    section: str  # tools | system | messages | params
    kind: str  # tool_changed, tools_reordered, system_changed, dropped_front, param_changed, ...
    where: str  # the full phrase: `tools[3] ("search_docs") description`, `messages[0..2] dropped from the front`
    detail: str  # what else is known without text: a byte range, a field, counts
    tokens_invalidated: int  # of the previous request's prefix, now written again instead of read
    prefix_tokens: int  # the previous request's whole prefix
    tokens_estimated: bool  # True when counted from bytes, False when scaled from the provider's counts
    cost_lost: float | None  # USD per call, at the model's prices; None without a price
    old_hash: str
    new_hash: str
    fix: str
    diff: str | None = None  # only when the tracker keeps text; secrets redacted

    @property
    def reason(self) -> str:
        return self.where

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return format_report(self)


def format_report(r: DriftReport) -> str:
    model = f" {r.model}" if r.model else ""
    approx = "~" if r.tokens_estimated else ""
    lines = [
        f'cachelint: prefix drift in conversation "{r.conversation}", turn {r.turn} ({r.provider}{model})',
        f"  first change: {r.where}" + (f" ({r.detail})" if r.detail else ""),
    ]
    cost = f": about {money(r.cost_lost)} lost per call" if r.cost_lost else ""
    lines.append(f"  {approx}{r.tokens_invalidated:,} of {approx}{r.prefix_tokens:,} cached prefix tokens invalidated{cost}")
    lines.append(f"  fix: {r.fix}")
    if r.diff:
        lines.extend("  " + line for line in r.diff.splitlines())
    return "\n".join(lines)


def money(amount: float) -> str:
    """Dollars at a precision that shows small per-call amounts."""
    if amount >= 1:
        return f"${amount:,.2f}"
    if amount >= 0.0001:
        return f"${amount:.4f}"
    return "<$0.0001" if amount > 0 else "$0"


def first_difference(a: list[int], b: list[int]) -> int:
    """The first index where two chains differ (the shorter length if one is a prefix)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] == b[mid]:
            lo = mid + 1
        else:
            hi = mid
    return lo


@dataclass(frozen=True)
class Change:
    index: int
    section: str
    kind: str
    where: str
    detail: str
    segment: str


def classify(prev: Fingerprint, cur: Fingerprint) -> Change | None:
    """None for an identical or append-only request, else the first change in user terms."""
    n = len(prev.chain)
    if n <= len(cur.chain) and (n == 0 or cur.chain[n - 1] == prev.chain[n - 1]):
        return None  # the usual turn, decided by one comparison: equal chains at n-1 mean equal up to it
    i = first_difference(prev.chain, cur.chain)
    if i >= len(prev) or i >= len(cur):
        # The previous request is a prefix of this one (append-only growth), or this one is a
        # prefix of the previous (a rewind, e.g. a regenerated answer): nothing cached is lost.
        return None
    if cur.server_history:
        # OpenAI previous_response_id: the history lives server-side, each request sends only new
        # items (also the first chained one, after a request that sent its input in full);
        # compare what precedes the input.
        if prev.section(i) == MESSAGES and cur.section(i) == MESSAGES:
            return None
    pk, ck = prev.keys[i], cur.keys[i]
    if pk[0] == PARAMS or ck[0] == PARAMS:
        return _param_change(prev, cur, i)
    if pk[0] != ck[0]:
        # One side has more segments in this section: something was appended or removed here.
        if _section_rank(pk[0]) < _section_rank(ck[0]):
            return _removed(prev, i)
        return _added(cur, i)
    if pk[0] == TOOLS:
        return _tool_change(prev, cur, i)
    if pk[0] == SYSTEM:
        return Change(i, SYSTEM, "system_changed", cur.label(i), _byte_detail(prev, cur, i), cur.label(i))
    return _message_change(prev, cur, i)


def _section_rank(section: str) -> int:
    return {TOOLS: 0, SYSTEM: 1, PARAMS: 2, MESSAGES: 3}[section]


def _param_change(prev: Fingerprint, cur: Fingerprint, i: int) -> Change:
    pk, ck = prev.keys[i], cur.keys[i]
    if pk[0] == PARAMS and ck[0] == PARAMS and pk[1] == ck[1]:
        name = pk[1]
        kind = "model_changed" if name in ("model", "modelId") else "param_changed"
        detail = f"{prev.model} -> {cur.model}" if kind == "model_changed" else ""
        return Change(i, PARAMS, kind, f"param {name}", detail, f"param {name}")
    prev_params = {k[1] for k in prev.keys if k[0] == PARAMS}
    cur_params = {k[1] for k in cur.keys if k[0] == PARAMS}
    if pk[0] == PARAMS and pk[1] not in cur_params:
        return Change(i, PARAMS, "param_removed", f"param {pk[1]} removed", "", f"param {pk[1]}")
    if ck[0] == PARAMS and ck[1] not in prev_params:
        return Change(i, PARAMS, "param_added", f"param {ck[1]} added", "", f"param {ck[1]}")
    if pk[0] == PARAMS:
        return _removed(prev, i)
    return _added(cur, i)


def _removed(prev: Fingerprint, i: int) -> Change:
    section = prev.section(i)
    kind = {TOOLS: "tool_removed", SYSTEM: "system_removed", MESSAGES: "message_removed"}.get(section, "param_removed")
    return Change(i, section, kind, f"{prev.label(i)} removed", "", prev.label(i))


def _added(cur: Fingerprint, i: int) -> Change:
    section = cur.section(i)
    kind = {TOOLS: "tool_added", SYSTEM: "system_added", MESSAGES: "message_inserted"}.get(section, "param_added")
    return Change(i, section, kind, f"{cur.label(i)} added", "", cur.label(i))


def _tool_change(prev: Fingerprint, cur: Fingerprint, i: int) -> Change:
    p_range, c_range = prev.indexes(TOOLS), cur.indexes(TOOLS)
    p_hashes = sorted(prev.hashes[j] for j in p_range)
    c_hashes = sorted(cur.hashes[j] for j in c_range)
    p_names = [prev.keys[j][2] for j in p_range]
    c_names = [cur.keys[j][2] for j in c_range]
    name = cur.keys[i][2]
    if p_hashes == c_hashes:
        return Change(i, TOOLS, "tools_reordered", "tools reordered", f"first moved: {cur.label(i)}, was at {_position(p_names, name)}", cur.label(i))
    added = [n for n in c_names if n not in p_names]
    removed = [n for n in p_names if n not in c_names]
    if removed and prev.keys[i][2] in removed:
        return Change(i, TOOLS, "tool_removed", f"{prev.label(i)} removed", _names("also removed", removed[1:]), prev.label(i))
    if added and name in added:
        return Change(i, TOOLS, "tool_added", f"{cur.label(i)} added", _names("also added", added[1:]), cur.label(i))
    if name != prev.keys[i][2] and sorted(map(str, p_names)) == sorted(map(str, c_names)):
        return Change(i, TOOLS, "tools_reordered", "tools reordered", f"first moved: {cur.label(i)}, and a definition changed", cur.label(i))
    fields = _changed_fields(prev.fields.get(i, ()), cur.fields.get(i, ()))
    # Paths are relative to the tool's spec, as the field names are (Bedrock nests it in toolSpec).
    path = _json_path(prev, cur, i).removeprefix("toolSpec.")
    where = f"{cur.label(i)} {path or ', '.join(fields) or 'definition'}"
    return Change(i, TOOLS, "tool_changed", where, _byte_detail(prev, cur, i) if not path else "", cur.label(i))


def _position(names: list[str | None], name: str | None) -> str:
    return f"tools[{names.index(name)}]" if name in names else "a new position"


def _names(prefix: str, names: list[str | None]) -> str:
    return f"{prefix}: {', '.join(map(str, names))}" if names else ""


def _changed_fields(a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...]) -> list[str]:
    old, new = dict(a), dict(b)
    changed = [k for k in new if old.get(k) != new[k]] + [k for k in old if k not in new]
    if not changed and list(old) != list(new):
        return ["key order"]
    return changed


def _message_change(prev: Fingerprint, cur: Fingerprint, i: int) -> Change:
    p_msgs = prev.hashes[prev.msg_start :]
    c_msgs = cur.hashes[cur.msg_start :]
    k = i - cur.msg_start  # first differing message
    name = cur.names[MESSAGES]
    # Sliding window: this request's history starts with the previous one's message j > 0.
    if k == 0 and c_msgs:
        for j in range(1, len(p_msgs)):
            if p_msgs[j] == c_msgs[0]:
                overlap = min(len(p_msgs) - j, len(c_msgs))
                if p_msgs[j : j + overlap] == c_msgs[:overlap]:
                    where = f"{name}[0..{j - 1}] dropped from the front" if j > 1 else f"{name}[0] dropped from the front"
                    return Change(i, MESSAGES, "dropped_front", where, f"{j} oldest message(s) removed; everything after them shifted", f"{name}[0]")
                break
    if k + 1 < len(p_msgs) and c_msgs[k:k + 1] == p_msgs[k + 1 : k + 2]:
        return Change(i, MESSAGES, "message_removed", f"{name}[{k}] removed", "", f"{name}[{k}]")
    if k + 1 < len(c_msgs) and c_msgs[k + 1 : k + 2] == p_msgs[k : k + 1]:
        return Change(i, MESSAGES, "message_inserted", f"{name}[{k}] inserted", "", f"{name}[{k}]")
    later = set(p_msgs[k:])
    if len(c_msgs) < len(p_msgs) and not any(h in later for h in c_msgs[k:]):
        return Change(
            i,
            MESSAGES,
            "compacted",
            f"{name}[{k}..] compacted",
            f"{len(p_msgs) - k} message(s) replaced by {len(c_msgs) - k}",
            f"{name}[{k}]",
        )
    path = _json_path(prev, cur, i)
    if path:
        path = "content" + path if path.startswith("[") else f"content.{path}"
    detail = path or _byte_detail(prev, cur, i)
    role = cur.keys[i][2]
    # The system or developer messages that open an OpenAI chat are its system prompt.
    kind = "system_message_rewritten" if i < cur.turn_start else "message_rewritten"
    return Change(i, MESSAGES, kind, f"{name}[{k}] rewritten", (f"{role}: " if role else "") + detail, f"{name}[{k}]")


def _byte_detail(prev: Fingerprint, cur: Fingerprint, i: int) -> str:
    """Where inside the segment the bytes first differ, from 1 KiB chunk hashes (no text needed)."""
    a, b = prev.chunks.get((i, 0)), cur.chunks.get((i, 0))
    size = cur.sizes[i]
    if a is None or b is None:
        return f"{prev.sizes[i]:,} -> {size:,} bytes" if prev.sizes[i] != size else f"{size:,} bytes, same length"
    j = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"first difference in bytes {j * 1024:,}-{min((j + 1) * 1024, size) - 1:,} of {size:,}"


# --- text-level detail (only when the tracker keeps text) ---------------------------------------


def _segment_value(fp: Fingerprint, i: int) -> Any:
    if fp.texts is None or i not in fp.texts:
        return None
    raw = fp.texts[i]
    return loads(raw[0]) if len(raw) == 1 else [loads(b) for b in raw]


def _json_path(prev: Fingerprint, cur: Fingerprint, i: int) -> str:
    a, b = _segment_value(prev, i), _segment_value(cur, i)
    if a is None or b is None:
        return ""
    path = _first_path(a, b, "")
    # A bare "(value)" says nothing the segment label does not; the byte range is more useful.
    return "" if path in ("(value)", "(type)") else redact(path.lstrip("."))  # keys are prompt text too


def _first_path(a: Any, b: Any, path: str) -> str:
    if type(a) is not type(b):
        return path or "(type)"
    if isinstance(a, dict):
        for key in b:
            if key not in a:
                return f"{path}.{key} (added)"
            sub = _first_path(a[key], b[key], f"{path}.{key}")
            if sub:
                return sub
        for key in a:
            if key not in b:
                return f"{path}.{key} (removed)"
        return f"{path} (key order)" if list(a) != list(b) else ""
    if isinstance(a, list):
        for n, (x, y) in enumerate(zip(a, b)):
            sub = _first_path(x, y, f"{path}[{n}]")
            if sub:
                return sub
        return f"{path} (length {len(a)} -> {len(b)})" if len(a) != len(b) else ""
    return "" if a == b else (path or "(value)")


def text_diff(prev: Fingerprint, cur: Fingerprint, i: int, context: int = 60, max_lines: int = 20) -> str | None:
    """A short diff of segment i: a character window for long lines, else a unified diff."""
    a, b = _segment_value(prev, i), _segment_value(cur, i)
    if a is None or b is None:
        return None
    old, new = _as_text(a), _as_text(b)
    if old == new:  # the change is outside the text of a text block: show the JSON
        old, new = json.dumps(a, indent=2, ensure_ascii=False), json.dumps(b, indent=2, ensure_ascii=False)
    # Redacted before the window is cut, so a window never shows part of a secret.
    old, new = redact(old), redact(new)
    if old == new:
        return "  (the change is inside text redacted as a secret)"
    if old.count("\n") < 3 and new.count("\n") < 3:
        start = 0
        while start < min(len(old), len(new)) and old[start] == new[start]:
            start += 1
        end = 0
        while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
            end += 1
        lo = max(0, start - context)
        pre = "..." if lo else ""

        def window(s: str) -> str:
            hi = min(len(s), len(s) - end + context)
            return pre + s[lo:hi] + ("..." if hi < len(s) else "")

        return f"- {window(old)}\n+ {window(new)}"
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "previous", "current", n=1, lineterm=""))
    return "\n".join(lines[:max_lines] + (["..."] if len(lines) > max_lines else []))


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("text"), str) and len(value) <= 3:
        return value["text"]
    return json.dumps(value, indent=2, ensure_ascii=False)


_DIFFABLE = ("tool_changed", "system_changed", "message_rewritten", "system_message_rewritten", "param_changed", "model_changed")


def build_report(
    prev: Fingerprint,
    cur: Fingerprint,
    change: Change,
    *,
    conversation: str,
    turn: int,
    prev_input_tokens: int | None,
    cost_per_token: float | None,
) -> DriftReport:
    """Price the change: what the previous request had cached from the change onward."""
    i = change.index
    total = prev.total_bytes or 1
    lost_bytes = total - prev.bytes_before(i)
    if prev_input_tokens:
        prefix_tokens = prev_input_tokens
        lost = round(prev_input_tokens * lost_bytes / total)
    else:
        prefix_tokens = total // BYTES_PER_TOKEN
        lost = lost_bytes // BYTES_PER_TOKEN
    return DriftReport(
        conversation=conversation,
        turn=turn,
        provider=cur.provider,
        model=cur.model,
        index=i,
        segment=change.segment,
        section=change.section,
        kind=change.kind,
        where=change.where,
        detail=change.detail,
        tokens_invalidated=lost,
        prefix_tokens=prefix_tokens,
        tokens_estimated=not prev_input_tokens,
        cost_lost=None if cost_per_token is None else lost * cost_per_token,
        old_hash=hex64(prev.hashes[i]) if i < len(prev) else "",
        new_hash=hex64(cur.hashes[i]) if i < len(cur) else "",
        fix=_FIXES[change.kind],
        diff=text_diff(prev, cur, i) if change.kind in _DIFFABLE else None,
    )
