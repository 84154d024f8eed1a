"""One file in, diagnostics out: bytes -> text -> libcst module -> names -> dataflow -> rules -> suppressions.

`check_source` is pure and its inputs and outputs are picklable, so results can be cached by
content hash and files can be checked in worker processes without changing it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Callable

from cachelint.catalogue import Catalogue, Rule
from cachelint.diagnostics import Diagnostic, FileResult
from cachelint.engine.parse import ParseProblem, decode, quick_syntax_problem
from cachelint.engine.prefilter import may_contain_sink
from cachelint.engine.project import ModuleSummary, ProjectIndex
from cachelint.engine.suppressions import Comments, Suppression, find_comments
from cachelint.knowledge import Knowledge
from cachelint.syntax import quiet_warnings


@dataclass(frozen=True)
class ModuleContext:
    """Where a file sits in the checked project: its import name, and the other modules' summaries.

    `force` analyses a file even when no sink is spelled in it: it calls a function of another
    module that sends a request. `has_sink` is the prefilter's verdict when the caller already
    scanned these exact bytes (None: scan them here).
    """

    name: str = ""
    is_package: bool = False
    project: ProjectIndex | None = None
    force: bool = False
    has_sink: bool | None = None


def summarize_source(data: bytes, filename: str, knowledge: Knowledge, context: ModuleContext) -> ModuleSummary | None:
    """Pass 1 across modules: what this module exports for its importers (None if it does not parse)."""
    text = decode(data)
    if isinstance(text, ParseProblem):
        return None
    from cachelint.engine.analyse import summarize_text

    return summarize_text(text, filename, knowledge, context)


def check_source(
    data: bytes,
    filename: str,
    knowledge: Knowledge,
    catalogue: Catalogue,
    enabled: frozenset[str],
    context: ModuleContext | None = None,
    max_size: int | None = None,
) -> FileResult:
    """Check one file's bytes; never raises for bad input (it becomes CL001/CL003). A file that
    would be analysed and has more than `max_size` bytes gets CL001 instead."""
    context = context or ModuleContext()
    rules = {code: rule for code, rule in catalogue.by_code().items() if code in enabled}
    text = decode(data)
    if isinstance(text, ParseProblem):
        return FileResult(filename, _problem(text, filename, rules), None)
    known = frozenset(catalogue.by_code())
    has_sink = context.has_sink if context.has_sink is not None else may_contain_sink(data, knowledge)
    if not context.force and not has_sink:
        # No sink can be spelled here, so no dataflow rule can report: only check the syntax.
        problem = quick_syntax_problem(text)
        if problem is not None:
            return FileResult(filename, _problem(problem, filename, rules), text)
        comments, _ = _comments_only(text)
        return FileResult(filename, _with_fixes(text, apply_suppressions([], comments, {}, rules, known, filename), rules), text)
    if max_size is not None and len(data) > max_size:
        return FileResult(filename, _problem(too_large(len(data), max_size), filename, rules), text)
    # Only files that can reach a sink pay for libcst (imported here, not at start-up).
    from cachelint.engine.analyse import analyse_text

    analysed = analyse_text(text, filename, knowledge, rules, context)
    if isinstance(analysed, ParseProblem):
        return FileResult(filename, _problem(analysed, filename, rules), text)
    own = [d for d in analysed if d.filename == filename]
    foreign = [d for d in analysed if d.filename != filename]
    comments, statement_starts = _suppression_info(text) if own else _comments_only(text)
    return FileResult(filename, _with_fixes(text, apply_suppressions(own, comments, statement_starts, rules, known, filename), rules), text, foreign)


def too_large(size: int, limit: int) -> ParseProblem:
    return ParseProblem(
        "CL001", 1, 1, f"file is {_kilobytes(size)}, more than `max-file-size` ({_kilobytes(limit)}); it was not analysed: raise `max-file-size` or exclude the file"
    )


def _kilobytes(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def _with_fixes(text: str, diagnostics: list[Diagnostic], rules: dict[str, Rule]) -> list[Diagnostic]:
    """Attach suppression fixes (CL002); expression fixes were attached during the analysis."""
    if not any(d.code == "CL002" and rules[d.code].fixable for d in diagnostics if d.code in rules):
        return diagnostics
    from cachelint.fixes import attach_fixes, suppression_fixes

    return attach_fixes(diagnostics, suppression_fixes(text, diagnostics))


def merge_foreign(results: list[FileResult], read_text: Callable[[str], str | None]) -> None:
    """Move findings about values produced in other files into those files' results.

    Each is matched against its own file's suppression comments (a CL002 reported for a comment
    that turns out to suppress it is withdrawn) and merged with the same finding from other
    importers, so a value sent from three modules is one finding with three related sinks.
    """
    by_name = {r.filename: r for r in results}
    suppression_info: dict[str, tuple[Comments, dict[int, int]]] = {}
    for result in results:
        for diag in result.foreign:
            target = by_name.get(diag.filename)
            if target is None:
                continue
            if diag.filename not in suppression_info:
                suppression_info[diag.filename] = _suppression_info(read_text(diag.filename))
            comments, starts = suppression_info[diag.filename]
            row = diag.location.row
            matching = [s for s in comments.applicable(row, starts.get(row, row)) if s.covers(diag.code)]
            if matching:
                for s in matching:
                    target.diagnostics = [
                        d
                        for d in target.diagnostics
                        if not (d.code == "CL002" and d.location.row == s.line and d.location.column == s.column and f"`{diag.code}`" in d.message)
                    ]
                continue
            same = next((i for i, d in enumerate(target.diagnostics) if (d.code, d.location) == (diag.code, diag.location)), None)
            if same is None:
                target.diagnostics.append(diag)
            else:
                existing = target.diagnostics[same]
                related = existing.related + tuple(r for r in diag.related if r not in existing.related)
                target.diagnostics[same] = replace(existing, related=related)
        result.foreign = []


def _comments_only(text: str) -> tuple[Comments, dict[int, int]]:
    """Suppression comments, for a file with no finding to place (no statement starts needed)."""
    return (find_comments(text) if ("noqa" in text or "cachelint:" in text) else Comments([], {})), {}


def _suppression_info(text: str | None) -> tuple[Comments, dict[int, int]]:
    """Suppression comments and each line's statement start (`ast` line numbers, no libcst)."""
    if text is None or ("noqa" not in text and "cachelint:" not in text):
        return Comments([], {}), {}
    starts: dict[int, int] = {}
    try:
        with quiet_warnings():
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        tree = None
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.stmt):
            last = node.body[0].lineno - 1 if hasattr(node, "body") and isinstance(node.body, list) and node.body else (node.end_lineno or node.lineno)
            for line in range(node.lineno, max(last, node.lineno) + 1):
                if starts.get(line, 0) < node.lineno:
                    starts[line] = node.lineno
    return find_comments(text), starts


def _problem(problem: ParseProblem, filename: str, rules: dict[str, Rule]) -> list[Diagnostic]:
    rule = rules.get(problem.code)
    return [rule.point(filename, problem.line, problem.column, problem.message)] if rule is not None else []


def apply_suppressions(
    diagnostics: list[Diagnostic],
    comments: Comments,
    statement_starts: dict[int, int],
    rules: dict[str, Rule],
    known: frozenset[str],
    filename: str,
) -> list[Diagnostic]:
    """Drop the findings a comment suppresses, and add CL002 for suppressions that matched nothing."""
    suppressions = comments.suppressions
    kept: list[Diagnostic] = []
    for diag in diagnostics:
        row = diag.location.row
        matching = [s for s in comments.applicable(row, statement_starts.get(row, row)) if s.covers(diag.code)]
        if matching:
            for s in matching:
                s.used.add(diag.code)
            continue
        kept.append(diag)
    unused_rule = rules.get("CL002")
    if unused_rule is None:
        return kept
    for s in suppressions:
        if s.bare_noqa:
            continue
        if s.codes is None:
            if not s.used:
                kept.append(_unused(s, "`# cachelint: ignore` suppresses nothing here; remove it", unused_rule, filename))
            continue
        for code in sorted(s.codes - s.used):
            if code not in known:
                kept.append(_unused(s, f"Unknown rule code `{code}` in suppression comment", unused_rule, filename))
            elif code in rules:
                kept.append(_unused(s, f"Unused suppression of `{code}`: nothing is reported here; remove it", unused_rule, filename))
    return kept


def _unused(s: Suppression, message: str, rule: Rule, filename: str) -> Diagnostic:
    return rule.point(filename, s.line, s.column, message)