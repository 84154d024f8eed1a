"""The libcst part of the engine: parse, run the dataflow pass and the checks.

Imported only for files that can reach a sink, so checking a file without one never loads libcst.
"""

from __future__ import annotations

import libcst as cst

from cachelint.catalogue import Rule
from cachelint.checks.astutil import ModuleIndex
from cachelint.checks.breakpoints import breakpoint_diagnostics
from cachelint.checks.conversation import conversation_diagnostics
from cachelint.checks.volatile import volatile_diagnostics
from cachelint.diagnostics import Diagnostic
from cachelint.engine import ModuleContext
from cachelint.engine.dataflow import ModuleAnalysis
from cachelint.engine.nodes import memoized_children
from cachelint.engine.parse import ParseProblem, parse
from cachelint.engine.positions import Positions
from cachelint.engine.project import ModuleSummary
from cachelint.engine.resolve import import_aliases
from cachelint.knowledge import Knowledge

TOO_DEEP = "file is too deeply nested to analyse; it was not analysed"


def analyse_text(
    text: str, filename: str, knowledge: Knowledge, rules: dict[str, Rule], context: ModuleContext
) -> list[Diagnostic] | ParseProblem:
    """Diagnostics about this file's values and about values other files produced."""
    module = parse(text)
    if isinstance(module, ParseProblem):
        return module
    try:
        with memoized_children():
            analysis = _analysis(module, text, knowledge, context)
            found = volatile_diagnostics(analysis.run(), rules, filename, module, knowledge.breakpoint_keys)
            # Structural rules: where breakpoints sit (CL4xx) and how the conversation changes (CL5xx).
            if any(code[:3] in ("CL4", "CL5") for code in rules):
                index = ModuleIndex(module, analysis)
                found += breakpoint_diagnostics(index, rules, filename)
                found += conversation_diagnostics(index, rules, filename)
            found = _with_expression_fixes(found, filename, rules, analysis)
    except RecursionError:
        return ParseProblem("CL001", 1, 1, TOO_DEEP)
    return found


def _with_expression_fixes(found: list[Diagnostic], filename: str, rules: dict[str, Rule], analysis: ModuleAnalysis) -> list[Diagnostic]:
    """Fixes for this file's fixable findings, computed on the tree just analysed."""
    if not any(d.filename == filename and d.code in rules and rules[d.code].fixable for d in found):
        return found
    from cachelint.fixes import attach_fixes, expression_fixes

    own = [i for i, d in enumerate(found) if d.filename == filename]
    fixes = expression_fixes(analysis.module, analysis.source, analysis.positions, [found[i] for i in own])
    return attach_fixes(found, {own[j]: fix for j, fix in fixes.items()})


def summarize_text(text: str, filename: str, knowledge: Knowledge, context: ModuleContext) -> ModuleSummary | None:
    module = parse(text)
    if isinstance(module, ParseProblem):
        return None
    try:
        with memoized_children():
            analysis = _analysis(module, text, knowledge, context)
            analysis.run()
            return analysis.export(filename)
    except RecursionError:
        return None


def _analysis(module: cst.Module, text: str, knowledge: Knowledge, context: ModuleContext) -> ModuleAnalysis:
    positions = Positions(module)
    return ModuleAnalysis(module, text, knowledge, import_aliases(module), positions, context.name, context.is_package, context.project)

