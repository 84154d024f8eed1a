"""The libcst part of the engine: parse, resolve positions, run the dataflow pass and the checks.

Imported only for files that can reach a sink, so checking a file without one never loads libcst.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from cachelint.catalogue import Rule
from cachelint.checks.astutil import ModuleIndex
from cachelint.checks.breakpoints import breakpoint_diagnostics
from cachelint.checks.conversation import conversation_diagnostics
from cachelint.checks.volatile import volatile_diagnostics
from cachelint.diagnostics import Diagnostic
from cachelint.engine import ModuleContext
from cachelint.engine.dataflow import ModuleAnalysis
from cachelint.engine.parse import ParseProblem, parse
from cachelint.engine.project import ModuleSummary
from cachelint.engine.resolve import import_aliases
from cachelint.knowledge import Knowledge

TOO_DEEP = "file is too deeply nested to analyse; it was not analysed"


def analyse_text(
    text: str, filename: str, knowledge: Knowledge, rules: dict[str, Rule], context: ModuleContext
) -> tuple[list[Diagnostic], dict[int, int]] | ParseProblem:
    """Diagnostics (this file's and other files' values) and each line's statement start."""
    module = parse(text)
    if isinstance(module, ParseProblem):
        return module
    try:
        analysis = _analysis(module, knowledge, context)
        found = volatile_diagnostics(analysis.run(), rules, filename)
        # Structural rules: where breakpoints sit (CL4xx) and how the conversation changes (CL5xx).
        if any(code[:3] in ("CL4", "CL5") for code in rules):
            index = ModuleIndex(module, analysis)
            found += breakpoint_diagnostics(index, rules, filename)
            found += conversation_diagnostics(index, rules, filename)
        found = _with_expression_fixes(found, filename, rules, analysis)
    except RecursionError:
        return ParseProblem("CL001", 1, 1, TOO_DEEP)
    return found, _statement_starts(module, analysis.positions)


def _with_expression_fixes(found: list[Diagnostic], filename: str, rules: dict[str, Rule], analysis: ModuleAnalysis) -> list[Diagnostic]:
    """Fixes for this file's fixable findings, computed on the tree just analysed."""
    if not any(d.filename == filename and d.code in rules and rules[d.code].fixable for d in found):
        return found
    from cachelint.fixes import attach_fixes, expression_fixes

    own = [i for i, d in enumerate(found) if d.filename == filename]
    fixes = expression_fixes(analysis.wrapper, [found[i] for i in own])
    return attach_fixes(found, {own[j]: fix for j, fix in fixes.items()})


def summarize_text(text: str, filename: str, knowledge: Knowledge, context: ModuleContext) -> ModuleSummary | None:
    module = parse(text)
    if isinstance(module, ParseProblem):
        return None
    try:
        analysis = _analysis(module, knowledge, context)
        analysis.run()
        return analysis.export(filename)
    except RecursionError:
        return None


def _analysis(module: cst.Module, knowledge: Knowledge, context: ModuleContext) -> ModuleAnalysis:
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)

    def span(node: cst.CSTNode) -> tuple[int, int, int, int]:
        r = positions[node]
        return (r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)

    analysis = ModuleAnalysis(module, knowledge, import_aliases(module), span, context.name, context.is_package, context.project)
    analysis.positions = positions
    analysis.wrapper = wrapper
    return analysis


def _statement_starts(module: cst.Module, positions) -> dict[int, int]:
    """For each line, the first line of the innermost statement that contains it."""
    starts: dict[int, int] = {}
    for node, r in positions.items():
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            first, last = r.start.line, r.end.line
            # Compound statements only claim their header line; their bodies have own statements.
            body = getattr(node, "body", None)  # `match` has cases, not a body
            if isinstance(node, cst.BaseCompoundStatement):
                last = positions[body].start.line if body is not None and body in positions else first
            for line in range(first, last + 1):
                if line not in starts or starts[line] < first:
                    starts[line] = first
    return starts
