"""Bytes to text to a libcst module, with CL003 for unreadable input and CL001 for syntax errors."""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst


@dataclass(frozen=True)
class ParseProblem:
    """Why a file could not be analysed: rule code, 1-based line and column, message."""

    code: str
    line: int
    column: int
    message: str


def decode(data: bytes) -> str | ParseProblem:
    """Decode source bytes as Python does: BOM, then a coding cookie, then UTF-8."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        return ParseProblem("CL003", line, 1, "file contains NUL bytes (binary file?); it was not analysed")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return ParseProblem("CL003", getattr(exc, "lineno", None) or 1, 1, f"bad encoding declaration: {exc.msg}; it was not analysed")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        start = getattr(exc, "start", 0)
        line = data.count(b"\n", 0, start) + 1
        return ParseProblem("CL003", line, 1, f"file is not valid {encoding} ({exc.__class__.__name__}); it was not analysed")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def parse(text: str) -> cst.Module | ParseProblem:
    """Parse with libcst; a syntax error becomes a CL001 problem with its position."""
    import libcst as cst

    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return _python_syntax_error(text) or ParseProblem(
            "CL001", exc.raw_line, exc.raw_column + 1, f"syntax error: {_clean(exc.message)}; the file was not analysed"
        )
    except (RecursionError, MemoryError):
        return ParseProblem("CL001", 1, 1, "file is too deeply nested to parse; it was not analysed")


def quick_syntax_problem(text: str) -> ParseProblem | None:
    """A syntax check for files that are not analysed further: `ast` first (fast), libcst to confirm.

    libcst knows newer syntax than the running interpreter may, so an `ast` failure alone is
    never reported.
    """
    if _python_syntax_error(text) is None:
        return None
    result = parse(text)
    return result if isinstance(result, ParseProblem) else None


def _python_syntax_error(text: str) -> ParseProblem | None:
    """Python's own message and position, which users know better than libcst's."""
    try:
        compile(text, "<cachelint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return ParseProblem("CL001", exc.lineno or 1, exc.offset or 1, f"syntax error: {exc.msg}; the file was not analysed")
    except (ValueError, RecursionError, MemoryError):
        return ParseProblem("CL001", 1, 1, "file cannot be parsed (too deeply nested or too large); it was not analysed")
    return None


def _clean(message: str) -> str:
    first = (message or "invalid syntax").strip().splitlines()[0]
    for prefix in ("parser error: ",):
        first = first.removeprefix(prefix)
    if first.startswith("error at ") and ": " in first:
        first = first.split(": ", 1)[1]
    return first
