"""`json` (an array, DESIGN.md's shape) and `json-lines` (one object per line)."""

from __future__ import annotations

import json
from collections import Counter

from cachelint.formats import Report


def render(report: Report) -> str:
    if report.statistics and report.format == "json":
        counts = Counter(d.code for d in report.diagnostics)
        names = {d.code: d.name for d in report.diagnostics}
        rows = [{"code": c, "name": names[c], "count": n, "fixable": any(d.fix for d in report.diagnostics if d.code == c)} for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        return json.dumps(rows, indent=2) + "\n"
    items = [d.to_json() for d in report.diagnostics]
    if report.format == "json-lines":
        return "".join(json.dumps(item, separators=(",", ":")) + "\n" for item in items)
    return json.dumps(items, indent=2) + "\n"
