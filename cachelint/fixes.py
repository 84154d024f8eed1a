"""Autofix: compute `Fix` objects for findings, apply them, and write files safely.

Fixes are computed where a file is checked, so every output format can show them: expression fixes
from the module the engine parsed (`expression_fixes`), suppression fixes from the text
(`suppression_fixes`); `fix_source` applies them in rounds (apply, re-check, apply again) until
nothing applicable is left, and `write_atomic` replaces a file only if nobody changed it since it
was read.

Safe fixes: CL002 removes a stale code (or the whole suppression comment); CL201/CL202 wrap the
unordered value in `sorted(...)` where it is produced; CL204 adds `sort_keys=True` to
`json.dumps(...)`. A wrap that turns a set into a list where the set is also used as a set
(membership, `.add`, set operators) or whose elements may not be comparable is unsafe.
"""

from __future__ import annotations

import ast
import io
import os
import re
import tempfile
import tokenize
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from cachelint.diagnostics import Diagnostic, Edit, Fix, Location
from cachelint.engine.suppressions import IGNORE_RE, NOQA_RE

if TYPE_CHECKING:
    import libcst as cst

    from cachelint.engine.positions import Positions

SAFE, UNSAFE = "safe", "unsafe"
MAX_ROUNDS = 10  # as Ruff: fixes can enable other fixes, but a loop must end
SET_OPERATORS = ("BitAnd", "BitOr", "Subtract", "BitXor")
# Calls that only iterate their first argument: a list there behaves exactly like the set did.
ITERATING_CALLS = {"join", "list", "tuple", "enumerate", "zip", "map", "filter", "extend", "fromkeys"}
LISTING_CALLS = {"os.listdir", "glob.glob", "glob.iglob"}
LISTING_METHODS = {"glob", "rglob", "iterdir"}
CODE_IN_MESSAGE = re.compile(r"`([A-Za-z]+[0-9]+)`")


def attach_fixes(diagnostics: list[Diagnostic], fixes: dict[int, Fix]) -> list[Diagnostic]:
    """The same diagnostics, with `fixes[i]` attached to the i-th one."""
    return [replace(d, fix=fixes[i]) if i in fixes else d for i, d in enumerate(diagnostics)]


def applicable(diag: Diagnostic, unsafe: bool) -> bool:
    """Whether `--fix` (or `--fix --unsafe-fixes` when `unsafe`) applies this finding's fix."""
    return diag.fix is not None and (diag.fix.applicability == SAFE or (unsafe and diag.fix.applicability == UNSAFE))


# --------------------------------------------------------------------------- applying edits
def _offsets(text: str) -> list[int]:
    """Offset of the start of each line, plus one past the end (an edit may end after the last line)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    if not text.endswith(("\n", "\r")):
        starts.append(len(text))
    return starts


def _offset(starts: list[int], location: Location) -> int:
    row = min(max(location.row, 1), len(starts))
    return min(starts[row - 1] + location.column - 1, starts[-1])


def apply_fixes(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply the fixes that do not overlap an earlier one; returns the new text and how many were applied."""
    starts = _offsets(text)
    accepted: list[tuple[int, int, str]] = []
    count = 0
    for fix in sorted(fixes, key=lambda f: min((e.location for e in f.edits), default=Location(0, 0))):
        spans = [(_offset(starts, e.location), _offset(starts, e.end_location), e.content) for e in fix.edits]
        new = [s for s in spans if s not in accepted]
        # Two findings on one suppression comment share one identical edit: it counts for both.
        if any(a < end and start < b or (a == start and b == end) for start, end, _ in new for a, b, _ in accepted):
            continue
        accepted.extend(new)
        count += 1
    for start, end, content in sorted(accepted, reverse=True):
        text = text[:start] + content + text[end:]
    return text, count


@dataclass
class FixedFile:
    """The outcome of fixing one file's text: the text before and after, and how many findings were fixed."""

    original: str
    fixed: str
    count: int


def fix_source(text: str, check: Callable[[str], list[Diagnostic]], unsafe: bool) -> FixedFile:
    """Apply fixes in rounds until none applies; a round whose result does not parse is dropped."""
    current, total = text, 0
    for _ in range(MAX_ROUNDS):
        fixes = [d.fix for d in check(current) if applicable(d, unsafe) and d.fix is not None]
        if not fixes:
            break
        candidate, count = apply_fixes(current, fixes)
        if candidate == current or not _parses(candidate):
            break
        current, total = candidate, total + count
    return FixedFile(text, current, total)


def _parses(text: str) -> bool:
    from cachelint.syntax import quiet_warnings

    try:
        with quiet_warnings():
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return False
    return True


class ChangedOnDisk(Exception):
    """The file changed between reading and writing; it is left alone."""


def write_atomic(path: Path, expected: bytes, data: bytes) -> None:
    """Replace `path` with `data` through a temporary file in the same directory, keeping its mode.

    Raises ChangedOnDisk when the file no longer holds `expected` (an editor saved it meanwhile).
    """
    # Through a symlink its target is fixed; replacing the link itself would turn it into a copy.
    path = Path(os.path.realpath(path))
    if path.read_bytes() != expected:
        raise ChangedOnDisk(f"{path} changed while it was being fixed; it was not written")
    mode = path.stat().st_mode & 0o7777
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".cachelint")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            # On disk before the rename: after a crash the file holds the old bytes or the new
            # ones, never an empty file (the rename can reach the disk before the data).
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        _sync_directory(path.parent)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; some systems cannot open a directory, and then it is skipped."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- CL002
def suppression_fixes(text: str, diagnostics: list[Diagnostic]) -> dict[int, Fix]:
    """One edit per stale suppression comment, shared by every CL002 finding on it."""
    stale: dict[tuple[int, int], list[int]] = {}
    for i, d in enumerate(diagnostics):
        if d.code == "CL002":
            stale.setdefault((d.location.row, d.location.column), []).append(i)
    if not stale:
        return {}
    comments = comment_columns(text)
    lines = text.splitlines(keepends=True)
    out: dict[int, Fix] = {}
    for (row, column), indices in stale.items():
        if row not in comments or row > len(lines):
            continue
        codes: set[str] | None = set()
        for i in indices:
            named = CODE_IN_MESSAGE.findall(diagnostics[i].message)
            if named and codes is not None:
                codes.add(named[0].upper())
            else:
                codes = None  # `# cachelint: ignore` without codes: the whole directive goes
        edit = _remove_codes(lines[row - 1], row, comments[row], column - 1, codes)
        if edit is None:
            continue
        what = "suppression comment" if codes is None else ", ".join(f"`{c}`" for c in sorted(codes))
        fix = Fix(SAFE, f"Remove unused {what}", (edit,))
        for i in indices:
            out[i] = fix
    return out


def comment_columns(text: str) -> dict[int, int]:
    """Row -> column (0-based) of the comment on that row."""
    out: dict[int, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.start[1]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return out


def _remove_codes(line: str, row: int, comment_col: int, col: int, codes: set[str] | None) -> Edit | None:
    """The edit that drops `codes` (None = all) from the directive starting at `col` of `line`."""
    body = line.rstrip("\r\n")
    match = NOQA_RE.match(body, col) or IGNORE_RE.match(body, col)
    if match is None:
        return None
    raw = match.group("codes")
    if raw is not None and codes is not None:
        present = [c for c in re.split(r"[,\s]+", raw.strip()) if c]
        kept = [c for c in present if c.upper() not in codes]
        if kept:
            start, end = match.span("codes")
            # `# cachelint: ignore[...]` keeps its brackets; a noqa list ends at its last code.
            return Edit(", ".join(kept), Location(row, start + 1), Location(row, end + 1))
    start, end = match.span()
    rest = body[end:]
    if start == comment_col and rest.strip():
        # `# noqa: CL101 -- why`: keep the explanation as a plain comment.
        return Edit("# " + rest.lstrip(" #"), Location(row, start + 1), Location(row, len(body) + 1))
    if start == comment_col and not body[:start].strip():
        return Edit("", Location(row, 1), Location(row + 1, 1))  # an own-line comment: the line goes
    before = len(body[:start].rstrip())
    return Edit("", Location(row, before + 1), Location(row, end + 1 if rest.strip() else len(body) + 1))


# --------------------------------------------------------------------------- CL201, CL202, CL204
def expression_fixes(module: cst.Module, source: str, positions: Positions, diagnostics: list[Diagnostic]) -> dict[int, Fix]:
    """Fixes for CL201/CL202/CL204, from the module the engine already parsed (no second parse)."""
    import libcst as cst

    from cachelint.engine.nodes import Parents

    parents = Parents(module)
    by_span: dict[tuple[int, int, int, int], cst.CSTNode] = {}
    for node, span in positions.items():
        if isinstance(node, cst.BaseExpression):
            by_span.setdefault(span, node)
    if _shadows_sorted(source):
        return {}
    names = _NameUses(module, parents)
    out: dict[int, Fix] = {}
    for i, d in enumerate(diagnostics):
        if d.code not in ("CL201", "CL202", "CL204"):
            continue
        node = by_span.get((d.location.row, d.location.column, d.end_location.row, d.end_location.column))
        if node is None:
            continue
        if d.code == "CL204":
            fix = _sort_keys_fix(module, node, positions)
        else:
            fix = _sorted_fix(module, node, d.code, parents, positions, names)
        if fix is not None:
            out[i] = fix
    return out


def _shadows_sorted(source: str) -> bool:
    """A module that defines or assigns its own `sorted` would get the wrong function."""
    return bool(re.search(r"^\s*(def\s+sorted\b|sorted\s*=|import\s.*\bsorted\b|from\s.*\bimport\s.*\bsorted\b)", source, re.MULTILINE))


def _sorted_fix(module, node, code: str, parents, positions, names: "_NameUses") -> Fix | None:
    import libcst as cst

    applicability = SAFE
    if code == "CL201":
        if type(node) is cst.Set:
            # `sorted` needs comparable elements: all strings or all numbers.
            kinds = {type(e.value) for e in node.elements if type(e) is cst.Element}
            if len(kinds) != 1 or not kinds <= {cst.SimpleString, cst.Integer, cst.Float} or any(type(e) is cst.StarredElement for e in node.elements):
                applicability = UNSAFE
        elif not (type(node) is cst.SetComp or (type(node) is cst.Call and _dotted(node.func) in ("set", "frozenset"))):
            return None
        # `set(a) & set(b)`: sort the result of the set expression, not one operand.
        while type(parents.get(node)) is cst.BinaryOperation and type(parents[node].operator).__name__ in SET_OPERATORS:
            node = parents[node]
    else:
        if type(node) is not cst.Call:
            return None
        func = node.func
        if _dotted(func) not in LISTING_CALLS and not (type(func) is cst.Attribute and func.attr.value in LISTING_METHODS):
            return None
    context = _context(node, parents, names, code)
    if context is None:
        return None
    if context == UNSAFE:
        applicability = UNSAFE
    line, column, end_line, end_column = positions.span(node)
    start, end = Location(line, column), Location(end_line, end_column)
    # A node's span leaves out its own parentheses, so its text is taken without them too.
    content = f"sorted({module.code_for_node(node.with_changes(lpar=[], rpar=[]))})"
    return Fix(applicability, "Wrap in `sorted(...)`", (Edit(content, start, end),))


def _context(node, parents, names: "_NameUses", code: str) -> str | None:
    """SAFE when a list works wherever the value goes, UNSAFE when it may not, None when a wrap is wrong."""
    import libcst as cst

    parent = parents.get(node)
    if type(parent) in (cst.For, cst.CompFor) and parent.iter is node:
        return SAFE
    if type(parent) is cst.StarredElement:
        return SAFE
    if type(parent) is cst.Arg and parent.keyword is None and parent.star == "":
        call = parents.get(parent)
        func = call.func if type(call) is cst.Call else None
        # `", ".join(...)`: the receiver is a string literal, so only the method name is known.
        short = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else None
        if short == "next":
            return None  # `next(p.glob(...))` needs an iterator, not a list
        return SAFE if short in ITERATING_CALLS else UNSAFE
    if type(parent) in (cst.Assign, cst.AnnAssign) and parent.value is node:
        targets = [t.target for t in parent.targets] if type(parent) is cst.Assign else [parent.target]
        if len(targets) != 1 or type(targets[0]) is not cst.Name:
            return UNSAFE
        if type(parent) is cst.AnnAssign:
            return UNSAFE  # the annotation says set; a list would contradict it
        if code == "CL201" and names.used_as_set(targets[0].value):
            return None  # filled or combined as a set later: sort where it is read, not here
        if code == "CL201" and names.tested_for_membership(targets[0].value):
            return UNSAFE  # a list answers `in` too, only slower
        return SAFE
    if type(parent) in (cst.Attribute, cst.Comparison, cst.BinaryOperation, cst.WithItem, cst.Subscript):
        return None
    return UNSAFE


class _NameUses:
    """How names are used across the module: tested for membership (`x in name`, which a list also
    answers, only slower), or used as nothing but a set (`name.add(...)`, `name | other`,
    `name |= ...`, rebound elsewhere)."""

    def __init__(self, module, parents) -> None:
        import libcst as cst

        from cachelint.engine.nodes import walk

        self._parents = parents
        self._membership: set[str] = set()
        self._set_only: set[str] = set()
        self._assigned: dict[str, int] = {}
        for node in walk(module):
            if type(node) is cst.Name:
                self._visit(node)

    def _visit(self, node) -> None:
        import libcst as cst

        parent = self._parents.get(node)
        name = node.value
        if type(parent) is cst.ComparisonTarget and type(parent.operator) in (cst.In, cst.NotIn) and parent.comparator is node:
            self._membership.add(name)
        elif type(parent) is cst.Attribute and parent.value is node:
            self._set_only.add(name)
        elif type(parent) is cst.BinaryOperation and type(parent.operator).__name__ in SET_OPERATORS:
            self._set_only.add(name)
        elif type(parent) is cst.AugAssign and parent.target is node:
            self._set_only.add(name)
        elif type(parent) is cst.AssignTarget and parent.target is node:
            self._assigned[name] = self._assigned.get(name, 0) + 1
            if self._assigned[name] > 1:
                self._set_only.add(name)  # rebound elsewhere: its other values are not ours to judge

    def used_as_set(self, name: str) -> bool:
        """Used in a way only a set supports: a list in its place would break the code."""
        return name in self._set_only

    def tested_for_membership(self, name: str) -> bool:
        return name in self._membership


def _dotted(node) -> str | None:
    import libcst as cst

    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def _sort_keys_fix(module, node, positions) -> Fix | None:
    import libcst as cst

    if type(node) is not cst.Call or _dotted(node.func) not in ("json.dumps", "dumps") or not node.args:
        return None
    if any(a.star == "**" or (a.keyword is not None and a.keyword.value == "sort_keys") for a in node.args):
        return None
    last = node.args[-1]
    new_arg = cst.Arg(value=cst.Name("True"), keyword=cst.Name("sort_keys"), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    if type(last.comma) is cst.Comma:
        # A trailing comma (often one argument per line): the new argument takes the same layout.
        before = node.args[-2].comma.whitespace_after if len(node.args) > 1 and type(node.args[-2].comma) is cst.Comma else node.whitespace_before_args
        args = [*node.args[:-1], last.with_changes(comma=cst.Comma(whitespace_after=before)), new_arg.with_changes(comma=last.comma)]
    else:
        args = [*node.args[:-1], last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), new_arg]
    new = node.with_changes(args=args)
    line, column, end_line, end_column = positions.span(node)
    content = module.code_for_node(new.with_changes(lpar=[], rpar=[]))
    return Fix(SAFE, "Add `sort_keys=True`", (Edit(content, Location(line, column), Location(end_line, end_column)),))


# --------------------------------------------------------------------------- files
@dataclass
class FileFix:
    """One file that `--fix` changes (or would change): its path, name, bytes read, and the result."""

    path: Path
    display: str
    data: bytes
    result: FixedFile

    def new_bytes(self) -> bytes:
        bom = b"\xef\xbb\xbf" if self.data.startswith(b"\xef\xbb\xbf") else b""
        return bom + self.result.fixed.encode("utf-8")


def plan_fixes(paths: list[tuple[Path, str]], check: Callable[[str, str], list[Diagnostic]], unsafe: bool) -> list[FileFix]:
    """Fix each (path, display name) in memory; files that do not change, or are not UTF-8, are left out.

    `check(text, display)` re-checks a text and returns its findings with their fixes.
    """
    out: list[FileFix] = []
    for path, display in paths:
        try:
            data = path.read_bytes()
            text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # another encoding would not survive the round trip; CL003/CL001 report the rest
        result = fix_source(text, lambda t: check(t, display), unsafe)
        if result.fixed != text:
            out.append(FileFix(path, display, data, result))
    return out


def unified_diff(fix: FileFix) -> str:
    """What `--diff` prints for one file."""
    import difflib

    lines = difflib.unified_diff(
        fix.result.original.splitlines(keepends=True),
        fix.result.fixed.splitlines(keepends=True),
        fromfile=fix.display if os.path.isabs(fix.display) else f"a/{fix.display}",
        tofile=fix.display if os.path.isabs(fix.display) else f"b/{fix.display}",
    )
    # A last line without a newline would run into the next one, as in `diff`'s output.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
