"""Builders for the output-format tests: diagnostics and rules made by hand, no engine involved."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from cachelint.catalogue import Rule
from cachelint.diagnostics import Diagnostic, Location
from cachelint.formats import Report

DOCS = "https://cachelint.example/rules"


def _make_rule(code: str = "CL101", name: str = "clock-in-prefix", severity: str = "high", **extra: Any) -> Rule:
    """A catalogue rule with every docs section filled in."""
    fields: dict[str, Any] = {
        "summary": f"Summary of {name}",
        "segment": "system",
        "fix": "Move the volatile value to the newest user message.",
        "what": f"Finds {name}.",
        "why": "The cached prefix changes on every call, so every call is a full-price cache write.",
        "example": "system = f'Now: {datetime.now()}'",
        "use_instead": "system = 'You are helpful.'",
        "examples": (),
        "fixable": False,
        "url": f"{DOCS}/{name}",
    }
    fields.update(extra)
    return Rule(code=code, name=name, severity=severity, **fields)


def _make_diagnostic(
    filename: str,
    start: tuple[int, int] = (3, 9),
    end: tuple[int, int] | None = None,
    code: str = "CL101",
    severity: str = "high",
    message: str = "Clock value `datetime.now()` reaches the system prompt",
    **extra: Any,
) -> Diagnostic:
    """A finding; `end` defaults to a ten-character span on the start line."""
    end = end or (start[0], start[1] + 10)
    return Diagnostic(
        code=code,
        name=extra.pop("name", "clock-in-prefix"),
        message=message,
        filename=filename,
        location=Location(*start),
        end_location=Location(*end),
        severity=severity,
        **extra,
    )


@pytest.fixture(scope="session")
def make_rule() -> Callable[..., Rule]:
    """Factory for rules (session-scoped: a pure function, safe to share with hypothesis tests)."""
    return _make_rule


@pytest.fixture(scope="session")
def make_diagnostic() -> Callable[..., Diagnostic]:
    """Factory for diagnostics (session-scoped: a pure function, safe to share with hypothesis tests)."""
    return _make_diagnostic


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A repository root holding `pkg/agent.py`."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "agent.py").write_text("import anthropic\n")
    return tmp_path


@pytest.fixture
def report_for(root: Path) -> Callable[..., Report]:
    """Build a Report rooted at `root` with the diagnostics sorted as the engine sorts them."""

    def build(fmt: str, diagnostics: list[Diagnostic], rules: list[Rule] | None = None, **extra: Any) -> Report:
        ordered = sorted(diagnostics, key=Diagnostic.sort_key)
        return Report(format=fmt, diagnostics=ordered, rules=rules or [_make_rule()], root=str(root), **extra)

    return build
