"""`# noqa: CL101` and `# cachelint: ignore[CL101]` comments, and which of them went unused."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

# A directive starts the comment, or follows whitespace after other comment text; one quoted
# inside prose (after a backtick or a quote) is not a directive.
NOQA_RE = re.compile(r"(?:^|(?<=\s))#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
IGNORE_RE = re.compile(r"(?:^|(?<=\s))#\s*cachelint:\s*ignore(?:\[(?P<codes>[^\]]*)\])?")


@dataclass
class Suppression:
    """One suppression comment: the line it sits on, the codes it names (None = all)."""

    line: int
    column: int
    codes: frozenset[str] | None
    own_line: bool
    bare_noqa: bool
    used: set[str] = field(default_factory=set)

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


@dataclass
class Comments:
    """Suppressions of a file, and the last line of each multi-line string by the lines it covers."""

    suppressions: list[Suppression]
    string_end: dict[int, int]

    def applicable(self, line: int, statement_start: int) -> list[Suppression]:
        """Suppressions for a finding on `line` inside a statement starting at `statement_start`.

        A trailing comment on the line counts; so does an own-line comment directly above the
        statement (or above the line), and, for a line inside a multi-line string, a trailing
        comment after the closing quotes (Ruff's rule).
        """
        end = self.string_end.get(line, line)
        return [
            s
            for s in self.suppressions
            if (not s.own_line and s.line in (line, end))
            or (s.own_line and s.line == statement_start - 1)
            or (s.own_line and s.line == line - 1 and not s.bare_noqa)
        ]


def find_comments(text: str) -> Comments:
    """Every suppression comment in the file, found with tokenize so strings are never mistaken."""
    out: list[Suppression] = []
    string_end: dict[int, int] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return Comments(out, string_end)
    lines = text.splitlines()
    fstring_starts: list[int] = []
    for tok in tokens:
        name = tokenize.tok_name.get(tok.type, "")
        if name == "FSTRING_START":
            fstring_starts.append(tok.start[0])
        elif name == "FSTRING_END" and fstring_starts:
            _cover(string_end, fstring_starts.pop(), tok.end[0])
        elif tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
            _cover(string_end, tok.start[0], tok.end[0])
        if tok.type != tokenize.COMMENT:
            continue
        row, col = tok.start
        own_line = lines[row - 1][:col].strip() == "" if row - 1 < len(lines) else False
        out.extend(directives(row, col, tok.string, own_line))
    return Comments(out, string_end)


def directives(row: int, column: int, comment: str, own_line: bool) -> list[Suppression]:
    """The suppressions in one comment (`comment` starts with `#`, at 0-based `column` of `row`)."""
    out: list[Suppression] = []
    for match in IGNORE_RE.finditer(comment):
        raw = match.group("codes")
        codes = frozenset(c.strip().upper() for c in raw.split(",") if c.strip()) if raw is not None else None
        out.append(Suppression(row, column + match.start() + 1, codes or None, own_line, bare_noqa=False))
    for match in NOQA_RE.finditer(comment):
        raw = match.group("codes")
        if raw is None:
            out.append(Suppression(row, column + match.start() + 1, None, own_line, bare_noqa=True))
            continue
        ours = frozenset(c.upper() for c in re.split(r"[,\s]+", raw) if c.upper().startswith("CL"))
        # `# noqa: E501` belongs to another tool: it neither suppresses nor is judged here.
        if ours:
            out.append(Suppression(row, column + match.start() + 1, ours, own_line, bare_noqa=False))
    return out


def _cover(string_end: dict[int, int], first: int, last: int) -> None:
    if last > first:
        for row in range(first, last + 1):
            string_end[row] = last
