"""Adoption in a large codebase: `cachelint check --add-noqa` suppresses every current finding.

Each line with a finding gets `# noqa: CODE[, CODE]`, merged into a `# noqa: ...` comment that is
already there. A finding inside a multi-line string gets its comment after the closing quotes,
where the suppression rules look for it. From then on only new findings are reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cachelint.diagnostics import Diagnostic
from cachelint.engine.suppressions import NOQA_RE, find_comments
from cachelint.fixes import ChangedOnDisk, comment_columns, write_atomic

# Engine findings are not suppressed by noqa (syntax errors, unreadable files) or are fixed instead (CL002).
SKIPPED = ("CL001", "CL002", "CL003")


@dataclass
class Added:
    """How many directives were added, and what could not be done."""

    count: int = 0
    warnings: list[str] = field(default_factory=list)


def add_noqa(diagnostics: list[Diagnostic], path_of: Callable[[str], Path | None]) -> Added:
    """Add noqa comments for `diagnostics` to their files (atomically); returns the count of lines changed."""
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in diagnostics:
        if diag.code not in SKIPPED:
            by_file[diag.filename].append(diag)
    added = Added()
    for filename, found in sorted(by_file.items()):
        path = path_of(filename)
        if path is None:
            continue
        if any(d.cell is not None for d in found):
            added.warnings.append(f"{filename}: notebooks are not rewritten; add the noqa comments in the cells")
            continue
        try:
            data = path.read_bytes()
            text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            added.warnings.append(f"{filename}: cannot add noqa comments: {exc}")
            continue
        new_text, count, problems = with_noqa(text, found)
        added.warnings.extend(f"{filename}:{row}: {problem}" for row, problem in problems)
        if count == 0:
            continue
        bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
        try:
            write_atomic(path, data, bom + new_text.encode("utf-8"))
        except (ChangedOnDisk, OSError) as exc:
            added.warnings.append(str(exc))
            continue
        added.count += count
    return added


def with_noqa(text: str, diagnostics: list[Diagnostic]) -> tuple[str, int, list[tuple[int, str]]]:
    """The text with noqa comments for `diagnostics`, how many lines changed, and (row, problem) skipped."""
    string_end = find_comments(text).string_end
    codes_by_row: dict[int, set[str]] = defaultdict(set)
    for diag in diagnostics:
        codes_by_row[string_end.get(diag.location.row, diag.location.row)].add(diag.code)
    comments = comment_columns(text)
    lines = text.splitlines(keepends=True)
    problems: list[tuple[int, str]] = []
    count = 0
    for row, codes in sorted(codes_by_row.items()):
        if not 1 <= row <= len(lines):
            continue
        line = lines[row - 1]
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if row in comments:
            merged = _merge(body, comments[row], codes)
            if merged is None:
                continue  # a bare `# noqa` already suppresses everything on the line
        elif body.rstrip().endswith("\\"):
            problems.append((row, "a comment cannot follow a line continuation; add the noqa comment by hand"))
            continue
        else:
            merged = f"{body.rstrip()}  # noqa: {', '.join(sorted(codes))}"
        if merged != body:
            lines[row - 1] = merged + ending
            count += 1
    return "".join(lines), count, problems


def _merge(body: str, comment_col: int, codes: set[str]) -> str | None:
    """The line with `codes` merged into its noqa directive (or a new one after its comment)."""
    comment = body[comment_col:]
    for match in NOQA_RE.finditer(comment):
        raw = match.group("codes")
        if raw is None:
            return None
        present = [c for c in re.split(r"[,\s]+", raw.strip()) if c]
        missing = sorted(codes - {c.upper() for c in present})
        if not missing:
            return body
        start, end = match.span("codes")
        return body[: comment_col + start] + ", ".join(present + missing) + body[comment_col + end :]
    return f"{body.rstrip()}  # noqa: {', '.join(sorted(codes))}"
