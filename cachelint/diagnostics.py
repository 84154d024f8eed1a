"""The records that flow from the engine to the formatters: plain, frozen and picklable."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("high", "medium", "low", "info")
SEGMENTS = ("tools", "system", "messages", "params")


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based row and column, as every output format shows them."""

    row: int
    column: int

    def to_json(self) -> dict[str, int]:
        return {"row": self.row, "column": self.column}


@dataclass(frozen=True)
class Related:
    """A second place that explains a finding: where the value enters the request, for instance."""

    filename: str
    location: Location
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"filename": self.filename, "location": self.location.to_json(), "message": self.message}


@dataclass(frozen=True)
class Edit:
    """Replace the text between two locations (end exclusive) with `content`."""

    content: str
    location: Location
    end_location: Location

    def to_json(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "location": self.location.to_json(),
            "end_location": self.end_location.to_json(),
        }


@dataclass(frozen=True)
class Fix:
    """A set of edits that resolves one finding; `applicability` is safe, unsafe or displayonly."""

    applicability: str
    message: str
    edits: tuple[Edit, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability,
            "message": self.message,
            "edits": [e.to_json() for e in self.edits],
        }


@dataclass(frozen=True)
class Diagnostic:
    """One finding in one file.

    `location` is where the volatile value is produced (or the offending statement for structural
    rules); the request sink it reaches is in `related`. `help` is the short "why and fix" line that
    the human formats print under the code frame.
    """

    code: str
    name: str
    message: str
    filename: str
    location: Location
    end_location: Location
    severity: str
    segment: str | None = None
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    help: str = ""
    url: str = ""
    cell: int | None = None  # notebooks: the code cell (1-based); rows are then rows inside it

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.filename, self.cell or 0, self.location.row, self.location.column, self.code)

    def to_json(self) -> dict[str, Any]:
        """The JSON object fixed by DESIGN.md (Ruff's keys plus cachelint's); `cell` only for notebooks."""
        cell = {"cell": self.cell} if self.cell is not None else {}
        return cell | {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "severity": self.severity,
            "segment": self.segment,
            "filename": self.filename,
            "location": self.location.to_json(),
            "end_location": self.end_location.to_json(),
            "fix": self.fix.to_json() if self.fix else None,
            "url": self.url,
            "related": [r.to_json() for r in self.related],
        }


@dataclass(slots=True)  # one per file checked, kept for the whole run
class FileResult:
    """What checking one file produced; `source` is kept only for the human formats' code frames.

    `foreign` holds findings about values produced in other files; they are moved into those
    files' results (and matched with their suppression comments) once every file is checked.
    """

    filename: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: str | None = None
    foreign: list[Diagnostic] = field(default_factory=list)
