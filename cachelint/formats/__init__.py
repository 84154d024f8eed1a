"""Output formats: one renderer module per format, all reading the same `Report`."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cachelint.catalogue import Rule
from cachelint.diagnostics import Diagnostic

# format name -> module under cachelint.formats exposing `render(report: Report) -> str`
FORMATS: dict[str, str] = {
    "full": "text",
    "concise": "text",
    "json": "json",
    "json-lines": "json",
    "github": "github",
    "gitlab": "gitlab",
    "sarif": "sarif",
    "junit": "junit",
}


@dataclass
class Report:
    """Everything a renderer may need: sorted diagnostics, the enabled rules and the sources."""

    format: str
    diagnostics: list[Diagnostic]
    rules: list[Rule]
    sources: dict[str, str] = field(default_factory=dict)
    files_checked: int = 0
    statistics: bool = False
    root: str = "."
    fixed: int = 0


def renderer(name: str) -> Callable[[Report], str]:
    """The render function of a format; imported on demand so unused formats cost nothing."""
    module = importlib.import_module(f"cachelint.formats.{FORMATS[name]}")
    return module.render


def relative_path(filename: str, root: str) -> str | None:
    """`filename` relative to `root` with forward slashes, or None when it lies outside `root`.

    Both sides are resolved first: CI systems match findings to files by repository path, and a
    symlinked checkout or a `./` prefix would otherwise produce a second, different path.
    """
    resolved = Path(os.path.realpath(filename))
    base = Path(os.path.realpath(root))
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return None


def repo_path(filename: str, root: str) -> str:
    """The path other formats show: relative to `root` when inside it, else absolute."""
    return relative_path(filename, root) or os.path.realpath(filename)
