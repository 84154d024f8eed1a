"""Shared test helpers: run the engine on a snippet, read `# expect: CODE` annotations."""

from __future__ import annotations

import re
import textwrap

from cachelint.catalogue import load_catalogue
from cachelint.diagnostics import Diagnostic
from cachelint.engine import check_source
from cachelint.knowledge import load_knowledge

EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<codes>CL[0-9]{3}(?:\s*,\s*CL[0-9]{3})*)")


def check(code: str, enabled: set[str] | None = None, filename: str = "snippet.py") -> list[Diagnostic]:
    """Diagnostics for a dedented snippet, with every rule enabled unless told otherwise."""
    catalogue = load_catalogue()
    codes = frozenset(enabled) if enabled is not None else frozenset(catalogue.by_code())
    source = textwrap.dedent(code).encode()
    return check_source(source, filename, load_knowledge(), catalogue, codes).diagnostics


def found(code: str, enabled: set[str] | None = None) -> list[tuple[int, str]]:
    """(line, code) of every finding, sorted."""
    return sorted((d.location.row, d.code) for d in check(code, enabled))


def expected(code: str) -> list[tuple[int, str]]:
    """(line, code) pairs from `# expect: CL101` annotations on the lines where findings belong."""
    out = []
    for number, line in enumerate(textwrap.dedent(code).splitlines(), start=1):
        match = EXPECT_RE.search(line)
        if match:
            out.extend((number, c.strip()) for c in match.group("codes").split(","))
    return sorted(out)
