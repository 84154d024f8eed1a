"""Check a list of discovered files: read, run the engine, isolate failures per file."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from cachelint.catalogue import Catalogue
from cachelint.diagnostics import Diagnostic, FileResult, Location
from cachelint.discovery import Candidate
from cachelint.engine import check_source


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        out = [d for f in self.files for d in f.diagnostics]
        return sorted(out, key=Diagnostic.sort_key)


def check_candidates(candidates: list[Candidate], catalogue: Catalogue) -> RunResult:
    """Check every candidate; an exception inside one file is recorded and the run goes on."""
    result = RunResult()
    for candidate in candidates:
        result.files.append(check_candidate(candidate, catalogue, result.internal_errors))
    return result


def check_candidate(candidate: Candidate, catalogue: Catalogue, errors: list[str]) -> FileResult:
    enabled = candidate.settings.enabled_for(candidate.path)
    if candidate.problem is not None:
        return FileResult(candidate.display, unreadable(candidate.display, candidate.problem, catalogue, enabled))
    try:
        data = candidate.path.read_bytes()
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}; it was not analysed"
        return FileResult(candidate.display, unreadable(candidate.display, reason, catalogue, enabled))
    try:
        return check_source(data, candidate.display, candidate.settings.knowledge, catalogue, enabled)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the run
        errors.append(f"{candidate.display}: internal error: {exc.__class__.__name__}: {exc}\n{traceback.format_exc()}")
        return FileResult(candidate.display)


def unreadable(display: str, reason: str, catalogue: Catalogue, enabled: frozenset[str]) -> list[Diagnostic]:
    rule = catalogue.get("CL003")
    if rule is None or "CL003" not in enabled:
        return []
    return [
        Diagnostic(
            code="CL003",
            name=rule.name,
            message=reason[0].upper() + reason[1:],
            filename=display,
            location=Location(1, 1),
            end_location=Location(1, 1),
            severity=rule.severity,
            help=rule.fix,
            url=rule.url,
        )
    ]
