"""Checking a set of files as one project, so values are followed across modules.

Files that can spell a sink are analysed; the modules they import (two levels deep, only those
whose bytes can produce a volatile value) are summarised first, in dependency order; files that
import a module that sends requests are analysed too, even without a sink of their own. Everything
else is checked alone, which is what keeps a large tree cheap. Summaries are built only for the
files the cache cannot answer.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import xxhash

from cachelint.engine import ModuleContext, summarize_source
from cachelint.engine.prefilter import may_contain_sink, may_produce_volatile
from cachelint.engine.project import ProjectIndex, imported_modules
from cachelint.knowledge import Knowledge

if TYPE_CHECKING:
    from cachelint.config import Settings

IMPORT_DEPTH = 2


@dataclass(slots=True)
class Scan:
    """What the project pass needs of a file, read from its bytes once; the bytes are not kept.

    A run keeps one per file until its end, so it is small: slots, the path as a string, and the
    import names as a tuple of interned strings that `plan` empties once it has resolved them.
    """

    display: str
    path: str
    module: str
    is_package: bool
    content: str  # xxh3-128 of the bytes
    has_sink: bool
    may_produce: bool
    imports: tuple[str, ...]  # dotted names it may import, sorted (resolved against the project by `plan`)

    def facts(self) -> dict[str, Any]:
        """What was read from the bytes, for the cache (the rest comes from the path)."""
        return {"has_sink": self.has_sink, "may_produce": self.may_produce, "imports": sorted(self.imports)}


def scan_file(
    display: str, path: str, name: str, data: bytes, content: str, knowledge: Knowledge, remembered: dict[str, Any] | None = None
) -> Scan:
    """Scan a file's bytes (`content` is their hash; `name` is its module name), or take what a
    cached scan of the same bytes `remembered`."""
    is_package = os.path.basename(path) == "__init__.py"
    facts = _valid_facts(remembered) or (
        may_contain_sink(data, knowledge),
        may_produce_volatile(data, knowledge),
        tuple(sorted(imported_modules(data, name, is_package))),
    )
    has_sink, may_produce, imports = facts
    return Scan(display, path, name, is_package, content, has_sink, may_produce, imports)


def scan_key_name(path: str, name: str) -> str:
    """A scan's cache key names the module (`name`), because relative imports resolve against it."""
    return f"scan:{name}:{os.path.basename(path) == '__init__.py'}"


def _valid_facts(facts: dict[str, Any] | None) -> tuple[bool, bool, tuple[str, ...]] | None:
    if facts is None:
        return None
    has_sink, may_produce, imports = facts.get("has_sink"), facts.get("may_produce"), facts.get("imports")
    if not (isinstance(has_sink, bool) and isinstance(may_produce, bool) and isinstance(imports, list) and all(isinstance(i, str) for i in imports)):
        return None  # a damaged entry is a miss
    return has_sink, may_produce, tuple(sorted({sys.intern(i) for i in imports}))


@dataclass
class Plan:
    """What the project pass decided: which files import which checked modules, who is summarised,
    who is analysed without a sink of their own."""

    scans: dict[str, Scan] = field(default_factory=dict)
    # dotted module name -> the displays of the files with that name (two projects in one tree, or
    # two example folders, can both have an `app.config` or a `utils`)
    by_module: dict[str, list[str]] = field(default_factory=dict)
    # display -> the displays of the checked modules it imports, sorted; files that import none are left out.
    imports: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # display -> {dotted name it imports: display} for the modules a top-level script imports from
    # its own folder (in a folder without `__init__.py` a module's own name is only its stem)
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    summarise: list[str] = field(default_factory=list)  # displays, dependencies first
    force: set[str] = field(default_factory=set)
    _order: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def _summary_order(self) -> dict[str, int]:
        # Each file's closure is sorted by this order; scanning `summarise` for each file was quadratic.
        if self._order is None:
            self._order = {d: i for i, d in enumerate(self.summarise)}
        return self._order

    def closure(self, display: str) -> list[str]:
        """The checked modules a file's analysis may read (imports, IMPORT_DEPTH levels), in summary order."""
        seen: set[str] = set()
        frontier = [display]
        for _ in range(IMPORT_DEPTH):
            following = []
            for d in frontier:
                for other in self.imports.get(d, ()):
                    if other not in seen and other != display:
                        seen.add(other)
                        following.append(other)
            frontier = following
        return sorted(seen & self._summary_order().keys(), key=self._summary_order().__getitem__)

    def digest(self, display: str) -> str:
        """Cache key material for everything outside the file its analysis reads."""
        h = xxhash.xxh3_128()
        for other in sorted(self.closure(display)):
            h.update(other.encode() + b"\0" + self.scans[other].content.encode())
        return h.hexdigest()

    def context(self, display: str, index: ProjectIndex | None) -> ModuleContext:
        """What analysing `display` needs: the summaries of the modules it may read, by name."""
        scan = self.scans[display]
        view = index.view(self.closure(display), self.aliases.get(display)) if index is not None and self.imports.get(display) else None
        return ModuleContext(scan.module, scan.is_package, view, display in self.force, scan.has_sink)


def plan(scans: list[Scan]) -> Plan:
    """Decide which files need summaries and which are analysed, from the scans only (no parsing).

    Each scan's `imports` is emptied once resolved: nothing reads them afterwards, and they are
    most of what a scan holds for the rest of the run.
    """
    result = Plan(scans={s.display: s for s in scans})
    by_path = {s.path: s.display for s in scans}
    for scan in scans:
        result.by_module.setdefault(scan.module, []).append(scan.display)
    for scan in scans:
        near: set[str] = set()
        for candidate in scan.imports:
            module = _project_module(candidate, result.by_module)
            found = _nearest(scan, result.by_module[module], result.scans) if module is not None else None
            if found is None:
                beside = _beside_script(scan, candidate, by_path)
                if beside is not None:
                    found, name = beside
                    result.aliases.setdefault(scan.display, {})[name] = found
            if found is not None:
                near.add(found)
        if near:
            result.imports[scan.display] = tuple(sorted(near))
    for scan in scans:
        scan.imports = ()
    sinks = {s.display for s in scans if s.has_sink}
    wanted: set[str] = set()
    frontier = set(sinks)
    for _ in range(IMPORT_DEPTH):
        step = {d for f in frontier for d in result.imports.get(f, ())}
        step = {d for d in step if d not in wanted and result.scans[d].may_produce}
        wanted |= step
        frontier = step
    result.summarise = _dependency_order(wanted | sinks, result)
    result.force = {d for d, imported in result.imports.items() if not sinks.isdisjoint(imported)} - sinks
    return result


def summarise(
    the_plan: Plan, displays: list[str], read: Callable[[str], bytes], settings_for: Callable[[str], Settings], errors: dict[str, str] | None = None
) -> ProjectIndex:
    """Pass 1: summaries of the given modules, dependencies first (unreadable ones, and those over
    `max-file-size`, are skipped). A module whose summary fails is skipped too (its importers are
    analysed without it) and its error goes into `errors`, by display name."""
    index = ProjectIndex()
    for display in the_plan.summarise:
        if display not in displays:
            continue
        try:
            data = read(the_plan.scans[display].path)
        except OSError:
            continue
        settings = settings_for(display)
        if len(data) > settings.max_file_size:
            continue
        try:
            summary = summarize_source(data, display, settings.knowledge, the_plan.context(display, index))
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the run
            if errors is not None:
                errors[display] = internal_error(display, exc)
            continue
        if summary is not None:
            index.add(summary, display)
    return index


def internal_error(display: str, exc: Exception) -> str:
    """The message of a crash inside cachelint on one file: its first line, then the traceback."""
    # Some exceptions (a KeyError on a CST node) print pages; the traceback has the details.
    summary = (str(exc).splitlines() or [""])[0][:200]
    return f"{display}: internal error: {exc.__class__.__name__}: {summary}\n{traceback.format_exc()}"


def _nearest(importer: Scan, displays: list[str], scans: dict[str, Scan]) -> str | None:
    """Of the files with the imported module's name, the one this import means: the one under
    the importer's own import root (the folder its top-level package sits in), if it is near."""
    candidates = [d for d in displays if _near(importer, scans[d])]
    if len(candidates) > 1:
        root = _import_root(importer)
        candidates = [d for d in candidates if _import_root(scans[d]) == root] or candidates
    return candidates[0] if candidates else None


def _import_root(scan: Scan) -> str:
    """The folder a module is imported from: its path less one folder per package level."""
    root = os.path.dirname(scan.path)
    for _ in range(scan.module.count(".") + (1 if scan.is_package else 0)):
        root = os.path.dirname(root)
    return root


def _near(importer: Scan, imported: Scan) -> bool:
    """Follow imports within one project: the same top-level package, or a sibling script.

    A tree such as the standard library holds many projects; following every import between
    them would summarise most of it for flows that do not build prompts.
    """
    if "." in importer.module and importer.module.split(".")[0] == imported.module.split(".")[0]:
        return True
    return os.path.dirname(importer.path) == os.path.dirname(imported.path)


def _beside_script(importer: Scan, candidate: str, by_path: dict[str, str]) -> tuple[str, str] | None:
    """For a top-level script (`main.py`), the file an import of `helpers.prompts` (or of
    `helpers.prompts.NAME`) means in the script's own folder, which Python puts first on the
    import path: `helpers/prompts.py` or `helpers/prompts/__init__.py`, `helpers/__init__.py` for
    a name of the package. Its display and the dotted name it is imported by (the file's own
    module name is only its stem when `helpers` has no `__init__.py`: a namespace package)."""
    parts = candidate.split(".")
    if "." in importer.module or importer.is_package or len(parts) < 2:
        return None
    folder = os.path.dirname(importer.path)
    roots = [folder]
    # Run as `python -m src.agent` from above `src/` (no `__init__.py` there either): the root is
    # the folder from which the importer itself is reached by the candidate's first name.
    above = folder
    for _ in range(3):
        above, name = os.path.dirname(above), os.path.basename(above)
        if name == parts[0]:
            roots.append(above)
            break
    for root in roots:
        for k in (len(parts), len(parts) - 1):
            for path in (os.path.join(root, *parts[:k]) + ".py", os.path.join(root, *parts[:k], "__init__.py")):
                found = by_path.get(path)
                if found is not None:
                    return found, ".".join(parts[:k])
    return None


def _project_module(candidate: str, by_module: dict[str, str]) -> str | None:
    """The checked module an import names: `pkg.mod` itself, or `pkg.mod` for `pkg.mod.name`."""
    if candidate in by_module:
        return candidate
    parent = candidate.rpartition(".")[0]
    # Interned, so the plan keeps the one string `by_module` holds rather than one per importer.
    return sys.intern(parent) if parent in by_module else None


def _dependency_order(wanted: set[str], the_plan: Plan) -> list[str]:
    """Modules before their importers (depth-first post-order; a cycle is cut where it closes)."""
    order: list[str] = []
    state: set[str] = set()
    for root in sorted(wanted):
        if root in state:
            continue
        state.add(root)
        stack = [(root, iter(the_plan.imports.get(root, ())))]
        while stack:
            current, children = stack[-1]
            for child in children:
                if child in wanted and child not in state:
                    state.add(child)
                    stack.append((child, iter(the_plan.imports.get(child, ()))))
                    break
            else:
                stack.pop()
                order.append(current)
    return order
