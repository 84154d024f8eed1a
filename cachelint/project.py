"""Checking a set of files as one project, so values are followed across modules.

Files that can spell a sink are analysed; the modules they import (two levels deep, only those
whose bytes can produce a volatile value) are summarised first, in dependency order; files that
import a module whose functions send requests are analysed too, even without a sink of their own.
Everything else is checked alone, which is what keeps a large tree cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import xxhash

from cachelint.diagnostics import FileResult
from cachelint.engine import ModuleContext, merge_foreign, summarize_source
from cachelint.engine.prefilter import may_contain_sink, may_produce_volatile
from cachelint.engine.project import ProjectIndex, imported_modules, module_name
from cachelint.knowledge import Knowledge

IMPORT_DEPTH = 2


@dataclass
class SourceFile:
    display: str
    path: Path
    data: bytes
    knowledge: Knowledge


@dataclass
class Plan:
    """What the project pass decided: module names, who gets summarised, analysed, and in which order."""

    modules: dict[str, str] = field(default_factory=dict)  # display -> dotted module name
    by_module: dict[str, str] = field(default_factory=dict)  # dotted module name -> display
    imports: dict[str, set[str]] = field(default_factory=dict)  # display -> project modules it imports
    sinks: set[str] = field(default_factory=set)
    summarise: list[str] = field(default_factory=list)  # displays, dependencies first

    def importers_of(self, modules: set[str]) -> set[str]:
        return {d for d, imported in self.imports.items() if imported & modules}


def plan(files: list[SourceFile]) -> Plan:
    """Decide which files need summaries, from bytes only (no parsing)."""
    result = Plan()
    for f in files:
        name = module_name(f.path)
        result.modules[f.display] = name
        result.by_module.setdefault(name, f.display)
    for f in files:
        is_package = f.path.name == "__init__.py"
        candidates = imported_modules(f.data, result.modules[f.display], is_package)
        result.imports[f.display] = {m for m in (_project_module(c, result.by_module) for c in candidates) if m is not None}
        if may_contain_sink(f.data, f.knowledge):
            result.sinks.add(f.display)
    by_display = {f.display: f for f in files}
    wanted: set[str] = set()
    frontier = set(result.sinks)
    for _ in range(IMPORT_DEPTH):
        step = {result.by_module[m] for d in frontier for m in result.imports.get(d, ())}
        step = {d for d in step if d not in wanted and may_produce_volatile(by_display[d].data, by_display[d].knowledge)}
        wanted |= step
        frontier = step
    wanted |= result.sinks
    result.summarise = _dependency_order(wanted, result)
    return result


def digest(display: str, plan: Plan, files: dict[str, SourceFile]) -> str:
    """A key for everything outside the file that its analysis read: the bytes of the modules it imports."""
    h = xxhash.xxh3_128()
    seen: set[str] = set()
    frontier = [display]
    for _ in range(IMPORT_DEPTH + 1):
        following: list[str] = []
        for d in frontier:
            for module in sorted(plan.imports.get(d, ())):
                other = plan.by_module[module]
                if other in seen or other == display:
                    continue
                seen.add(other)
                h.update(module.encode() + b"\0" + xxhash.xxh3_128_digest(files[other].data))
                following.append(other)
        frontier = following
    return h.hexdigest()


def context_for(display: str, plan: Plan, index: ProjectIndex | None, force: bool) -> ModuleContext:
    path_is_package = display.endswith("__init__.py")
    return ModuleContext(plan.modules.get(display, ""), path_is_package, index, force)


def _project_module(candidate: str, by_module: dict[str, str]) -> str | None:
    """The checked module an import names: `pkg.mod` itself, or `pkg.mod` for `pkg.mod.name`."""
    if candidate in by_module:
        return candidate
    parent = candidate.rpartition(".")[0]
    return parent if parent in by_module else None


def _dependency_order(wanted: set[str], plan: Plan) -> list[str]:
    """Modules before their importers (depth-first post-order; a cycle is cut where it closes)."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(display: str) -> None:
        stack = [(display, iter(sorted(plan.imports.get(display, ()))))]
        state[display] = 1
        while stack:
            current, children = stack[-1]
            advanced = False
            for module in children:
                child = plan.by_module[module]
                if child in wanted and child not in state:
                    state[child] = 1
                    stack.append((child, iter(sorted(plan.imports.get(child, ())))))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                state[current] = 2
                order.append(current)

    for display in sorted(wanted):
        if display not in state:
            visit(display)
    return order


Checker = Callable[[SourceFile, ModuleContext], FileResult]


def summarise_project(files: list[SourceFile], the_plan: Plan) -> ProjectIndex:
    """Pass 1: summaries of the modules that matter, dependencies first."""
    by_display = {f.display: f for f in files}
    index = ProjectIndex()
    for display in the_plan.summarise:
        source = by_display[display]
        summary = summarize_source(source.data, display, source.knowledge, context_for(display, the_plan, index, False))
        if summary is not None:
            index.add(summary)
    return index


def contexts(files: list[SourceFile], the_plan: Plan, index: ProjectIndex) -> dict[str, ModuleContext]:
    """Pass 2 contexts: files importing a module that sends requests are analysed even without a sink."""
    senders = {the_plan.modules[d] for d in the_plan.sinks}
    force = the_plan.importers_of(senders) - the_plan.sinks
    return {f.display: context_for(f.display, the_plan, index if the_plan.imports.get(f.display) else None, f.display in force) for f in files}


def check_project(files: list[SourceFile], checker: Checker) -> dict[str, FileResult]:
    """Check every file with what the project pass knows, then report cross-file findings where they belong."""
    the_plan = plan(files)
    index = summarise_project(files, the_plan)
    by_file = contexts(files, the_plan, index)
    results = {f.display: checker(f, by_file[f.display]) for f in files}
    merge_foreign(list(results.values()))
    return results
