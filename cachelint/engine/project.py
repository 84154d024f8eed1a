"""Across modules: module names, a cheap import scan, and the index of module summaries.

Real agents build the prompt in one module and send it from another. A first pass summarises each
module that matters (what its module-level names hold, what its functions return, which of their
parameters reach which sink); a second pass resolves imports against those summaries. Which
modules matter is decided from a byte-level import scan, so a large tree is not parsed wholesale.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cachelint.engine.values import Value

IMPORT_RE = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([^#\n]*)|import[ \t]+([^#\n]+))", re.M)


@dataclass(frozen=True)
class ExportedFunction:
    """What a caller needs of a function in another module."""

    params: tuple[str, ...]
    returns: Value
    param_sinks: tuple  # tuple[ParamSink, ...]; typed loosely to avoid an import cycle


@dataclass(frozen=True)
class ExportedClass:
    """What an importer needs of a class in another module: what its attributes hold, its methods
    (parameters without `self`), which of them are properties, and the attributes its own code
    changes after `__init__` (state that differs from turn to turn)."""

    attrs: tuple[tuple[str, Value], ...] = ()
    methods: tuple[tuple[str, ExportedFunction], ...] = ()
    properties: tuple[str, ...] = ()
    mutable: tuple[str, ...] = ()

    def attr(self, name: str) -> Value | None:
        return next((v for n, v in self.attrs if n == name), None)

    def method(self, name: str) -> ExportedFunction | None:
        return next((f for n, f in self.methods if n == name), None)


@dataclass(frozen=True)
class ModuleSummary:
    """A module's exported names: values of module-level names, function and class summaries.
    Objects of its classes have the type `class:<module>.<Class>` in these values."""

    module: str
    filename: str
    values: tuple[tuple[str, Value], ...] = ()
    functions: tuple[tuple[str, ExportedFunction], ...] = ()
    classes: tuple[tuple[str, ExportedClass], ...] = ()

    def value(self, name: str) -> Value | None:
        return next((v for n, v in self.values if n == name), None)

    def function(self, name: str) -> ExportedFunction | None:
        return next((f for n, f in self.functions if n == name), None)

    def cls(self, name: str) -> ExportedClass | None:
        return next((c for n, c in self.classes if n == name), None)


@dataclass
class ProjectIndex:
    """Summaries of the checked modules by dotted name (one file's view of the project), and,
    for the whole run, by the file they came from (two files can share a dotted name)."""

    modules: dict[str, ModuleSummary] = field(default_factory=dict)
    by_file: dict[str, ModuleSummary] = field(default_factory=dict)

    def add(self, summary: ModuleSummary, display: str) -> None:
        self.by_file[display] = summary

    def view(self, displays: list[str], aliases: dict[str, str] | None = None) -> ProjectIndex:
        """The summaries of these files, by dotted name: what one file's analysis may read.
        `aliases`: other names the importer reaches some of them by (dotted name -> display)."""
        modules = {s.module: s for s in (self.by_file.get(d) for d in displays) if s is not None}
        for name, display in (aliases or {}).items():
            summary = self.by_file.get(display)
            if summary is not None:
                modules.setdefault(name, summary)
        return ProjectIndex(modules)

    def lookup(self, qualname: str) -> tuple[ModuleSummary, str] | None:
        """`pkg.prompts.build` -> (summary of pkg.prompts, "build"), if that module is known."""
        module, _, name = qualname.rpartition(".")
        summary = self.modules.get(module)
        return (summary, name) if summary is not None and name else None

    def module(self, qualname: str) -> ModuleSummary | None:
        return self.modules.get(qualname)

    def cls(self, qualname: str) -> ExportedClass | None:
        """`pkg.config.Settings` -> the summary of that class, if its module is known."""
        found = self.lookup(qualname)
        return found[0].cls(found[1]) if found is not None else None


class ModuleNames:
    """The dotted name a file is imported by: its package chain (folders with __init__.py) plus its
    stem. One instance serves one run: each folder's package chain is looked up once."""

    def __init__(self) -> None:
        self._packages: dict[Path, tuple[str, ...]] = {}

    def __call__(self, path: Path) -> str:
        parts = self._package(path.parent) + (() if path.stem == "__init__" else (path.stem,))
        # Interned: a run keeps one per file, and copies of a tree repeat the same names.
        return sys.intern(".".join(parts) if parts else path.parent.name)

    def _package(self, directory: Path) -> tuple[str, ...]:
        known = self._packages.get(directory)
        if known is None:
            inside = directory.parent != directory and (directory / "__init__.py").exists()
            known = self._package(directory.parent) + (directory.name,) if inside else ()
            self._packages[directory] = known
        return known


def absolute(target: str, importer: str, is_package: bool) -> str:
    """Resolve a relative import target (`.prompts.X`) against the importing module's name."""
    if not target.startswith("."):
        return target
    dots = len(target) - len(target.lstrip("."))
    base = importer.split(".")
    keep = len(base) - dots + (1 if is_package else 0)
    rest = target[dots:]
    prefix = ".".join(base[: max(keep, 0)])
    return f"{prefix}.{rest}" if prefix and rest else (prefix or rest)


def imported_modules(data: bytes, importer: str, is_package: bool) -> set[str]:
    """Dotted names a file may import (modules and `module.name` candidates), from its bytes.

    The names are interned: a run keeps every file's until the project plan is made, and most
    are the same few (`os`, `typing`, the project's own modules) in file after file.
    """
    found: set[str] = set()
    for match in IMPORT_RE.finditer(data):
        source, names, plain = match.groups()
        if plain is not None:
            for item in plain.decode("utf-8", "replace").split(","):
                name = item.strip().split(" ")[0]
                if name:
                    found.add(sys.intern(name))
            continue
        base = absolute(source.decode("utf-8", "replace"), importer, is_package)
        if base:
            found.add(sys.intern(base))
        for item in (names or b"").decode("utf-8", "replace").replace(")", "").split(","):
            name = item.strip().split(" ")[0]
            if name and name != "*":
                found.add(sys.intern(f"{base}.{name}" if base else name))
    return found
