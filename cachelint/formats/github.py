"""GitHub Actions workflow commands (`--output-format github`): one annotation per finding.

    ::error title=cachelint (CL101),file=app/agent.py,line=12,endLine=12,col=9,endColumn=31::message%0Ahelp: ...

Severity high is an `error`, medium a `warning`, low and info a `notice`. Lines and columns are
1-based. `col` and `endColumn` are sent only when the finding starts and ends on the same line,
because GitHub rejects a column range across lines. Escaping follows `@actions/core`
(`packages/core/src/command.ts`): the message escapes `%`, CR and LF; property values also
escape `:` and `,`, which would otherwise end the value.
"""

from __future__ import annotations

from cachelint.diagnostics import Diagnostic
from cachelint.formats import Report, repo_path

COMMANDS = {"high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message; `%` goes first so the escapes themselves stay intact."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (`file=...`, `title=...`) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    """One workflow command per diagnostic, each on its own line; empty when nothing was found."""
    return "".join(_command(d, report.root) + "\n" for d in report.diagnostics)


def _command(diagnostic: Diagnostic, root: str) -> str:
    start, end = diagnostic.location, diagnostic.end_location
    path = repo_path(diagnostic.filename, root)
    properties = [
        ("title", f"cachelint ({diagnostic.code})"),
        ("file", path),
        ("line", str(start.row)),
        ("endLine", str(end.row)),
    ]
    if start.row == end.row:
        properties += [("col", str(start.column)), ("endColumn", str(end.column))]
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    lines = [diagnostic.message]
    help_text = diagnostic.help or (diagnostic.fix.message if diagnostic.fix else "")
    if help_text:
        lines.append(f"help: {help_text}")
    message = escape_data("\n".join(lines))
    return f"::{COMMANDS[diagnostic.severity]} {props}::{message}"
