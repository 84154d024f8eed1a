"""The human formats: `full` (code frame, help line) and `concise` (one line each, editor-friendly)."""

from __future__ import annotations

from collections import Counter

from cachelint.diagnostics import Diagnostic
from cachelint.formats import Report


def render(report: Report) -> str:
    if report.statistics:
        return statistics(report)
    lines: list[str] = []
    for diag in report.diagnostics:
        # Notebooks as Ruff prints them: `path:cell N:row:col`, the row counted inside the cell.
        cell = f"cell {diag.cell}:" if diag.cell is not None else ""
        head = f"{diag.filename}:{cell}{diag.location.row}:{diag.location.column}: {diag.code}{' [*]' if safe_fix(diag) else ''} {diag.message}"
        lines.append(head)
        if report.format == "full":
            lines.extend(code_frame(diag, report.sources.get(diag.filename)))
            for rel in diag.related:
                lines.append(f"  = note: {rel.filename}:{rel.location.row}:{rel.location.column}: {rel.message}")
            lines.append("")
    lines.append(footer(report))
    return "\n".join(lines) + "\n"


def code_frame(diag: Diagnostic, source: str | None) -> list[str]:
    """The offending line with carets under the reported span, as Ruff prints it."""
    if not source:
        return []
    rows = source.splitlines()
    row = diag.location.row
    if not 1 <= row <= len(rows):
        return []
    text = rows[row - 1].expandtabs(4)
    start = max(diag.location.column - 1, 0)
    end = diag.end_location.column - 1 if diag.end_location.row == row else len(text)
    width = max(end - start, 1)
    gutter = " " * len(str(row))
    return [f"{gutter} |", f"{row} | {text}", f"{gutter} | {' ' * start}{'^' * width}"]


def footer(report: Report) -> str:
    count = len(report.diagnostics)
    if not count:
        return f"All checks passed! ({report.files_checked} file{'s' if report.files_checked != 1 else ''} checked)"
    fixable = sum(1 for d in report.diagnostics if safe_fix(d))
    hidden = sum(1 for d in report.diagnostics if d.fix and not safe_fix(d))
    text = f"Found {count} error{'s' if count != 1 else ''} in {report.files_checked} file{'s' if report.files_checked != 1 else ''} checked."
    if fixable:
        text += f"\n[*] {fixable} fixable with the `--fix` option."
    if hidden:
        text += f"\n({hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option.)"
    return text


def safe_fix(diag: Diagnostic) -> bool:
    """`[*]` marks what plain `--fix` changes, as Ruff does; unsafe fixes are only counted."""
    return diag.fix is not None and diag.fix.applicability == "safe"


def statistics(report: Report) -> str:
    """`count<TAB>code<TAB>[*] name` sorted by count, as Ruff and flake8 print it."""
    counts = Counter(d.code for d in report.diagnostics)
    names = {d.code: d.name for d in report.diagnostics}
    fixable = {d.code for d in report.diagnostics if safe_fix(d)}
    rows = [f"{n}\t{code}\t{'[*]' if code in fixable else '   '} {names[code]}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    rows.append(footer(report))
    return "\n".join(rows) + "\n"
