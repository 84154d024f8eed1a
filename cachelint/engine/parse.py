"""Bytes to text to a libcst module, with CL003 for unreadable input and CL001 for syntax errors."""

from __future__ import annotations

import ast
import io
import os
import queue
import re
import sys
import threading
import tokenize
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cachelint.syntax import python_accepts, quiet_warnings

if TYPE_CHECKING:
    import libcst as cst

# libcst's native parser recurses once per nesting level and once per operand of an `and`/`or`
# chain (which Python keeps flat). On deep input it takes minutes, and when its stack runs out it
# crashes the whole process (SIGSEGV). So it is given only text that Python accepts or refuses
# for another reason than nesting, and it runs in a thread whose stack holds MAX_BOOL_OPERANDS
# operands (about 2.6 KB each; address space only, used when needed).
PARSER_STACK_BYTES = 1024 * 1024 * 1024
MAX_BOOL_OPERANDS = 250_000
_BOOL_OPERATOR = re.compile(r"\b(?:and|or)\b")
# Python's own nesting limits, the same in every version (newer syntax is never refused so).
_NESTING_ERRORS = ("too many nested parentheses", "too many levels of indentation")
TOO_DEEP = "file is too deeply nested to parse; it was not analysed"


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
    return _parse_checked(text, *_python_check(text))


def _parse_checked(text: str, python_problem: ParseProblem | None, nesting: bool) -> cst.Module | ParseProblem:
    """`parse`, given Python's verdict on the same text."""
    import libcst as cst

    if nesting or len(_BOOL_OPERATOR.findall(text)) > MAX_BOOL_OPERANDS or (python_problem is None and _unbounded_nesting(text)):
        return python_problem or ParseProblem("CL001", 1, 1, TOO_DEEP)
    try:
        return _parse_in_large_stack(text)
    except cst.ParserSyntaxError as exc:
        if python_problem is None:
            # Python accepts the file; only libcst cannot read it (for instance 20,000 strings in a row).
            return ParseProblem("CL001", exc.raw_line, exc.raw_column + 1, f"libcst cannot parse this file, which Python accepts: {_clean(exc.message)}; it was not analysed")
        return python_problem
    except (RecursionError, MemoryError):
        return ParseProblem("CL001", 1, 1, TOO_DEEP)


# Python 3.11 and newer refuse expressions nested deeper than about this (three levels per frame
# of the default recursion limit); libcst's time grows with the square of the depth (a chain of
# 4,000 `+` took 4 s, 20,000 several minutes). Python 3.10 accepts any depth, so there the depth
# is measured before libcst sees the text.
MAX_NESTING = 2_900


def _unbounded_nesting(text: str, limit: int = MAX_NESTING) -> bool:
    """On Python 3.10: whether the text nests deeper than `limit` (its AST pass has no limit)."""
    if sys.version_info >= (3, 11):
        return False
    try:
        with quiet_warnings():
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False  # Python's verdict was taken already
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False


def _parse_in_large_stack(text: str) -> cst.Module:
    """libcst's parse on the parser thread, whose stack is PARSER_STACK_BYTES; its exception is re-raised here."""
    import libcst as cst

    try:
        outcome = _PARSER.run(text)
    except RuntimeError:  # no address space for such a stack (`ulimit -v`): parse here instead
        return cst.parse_module(text)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


class _ParserThread:
    """One long-lived thread with a large stack that parses on behalf of its callers.

    Starting a thread with such a stack for every file cost about a millisecond, half as much
    as parsing a typical file. Each request carries its own reply queue, so a caller that gave
    up waiting (Ctrl-C) never leaves its answer to the next one. A forked child starts its own thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: queue.SimpleQueue[tuple[str, queue.SimpleQueue[cst.Module | BaseException]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def run(self, text: str) -> cst.Module | BaseException:
        reply: queue.SimpleQueue[cst.Module | BaseException] = queue.SimpleQueue()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._start()
            self._requests.put((text, reply))
        return reply.get()

    def stop(self) -> None:
        """End the thread once it has answered what it was asked; the next parse starts another."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None and thread.is_alive():
                self._requests.put(None)
                thread.join()

    def _start(self) -> None:
        previous = threading.stack_size(PARSER_STACK_BYTES)
        try:
            thread = threading.Thread(target=self._serve, name="cachelint-parse", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
        self._thread = thread

    def _serve(self) -> None:
        import libcst as cst

        while (request := self._requests.get()) is not None:
            text, reply = request
            try:
                reply.put(cst.parse_module(text))
            except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                reply.put(exc)


_PARSER = _ParserThread()


def stop_parser_thread() -> None:
    """End the parser thread before forking workers: a process forked while it has other threads
    may deadlock in the child (a lock held by a thread that does not exist there), which Python
    3.12 and newer warn about."""
    _PARSER.stop()


def _forget_parser_thread() -> None:
    # A forked child has no parser thread, and a lock or a request the parent held at the fork is stale.
    global _PARSER
    _PARSER = _ParserThread()


os.register_at_fork(after_in_child=_forget_parser_thread)


def quick_syntax_problem(text: str) -> ParseProblem | None:
    """A syntax check for files that are not analysed further: Python first (fast), libcst to confirm.

    libcst knows newer syntax than the running interpreter may, so a Python failure alone is
    never reported.
    """
    python_problem, nesting = _python_check(text)
    if python_problem is None:
        return None
    result = _parse_checked(text, python_problem, nesting)
    return result if isinstance(result, ParseProblem) else None


def _python_check(text: str) -> tuple[ParseProblem | None, bool]:
    """Python's verdict (its message and position, which users know better than libcst's), and
    whether it refused the text for its nesting."""
    if python_accepts(text):
        # Most files: the symbol-table pass is cheaper than building the AST, and it accepts
        # only what the AST pass accepts. Anything it refuses gets the AST pass's own verdict
        # below, so the findings are the same as with the AST pass alone. Both passes count
        # Python frames towards their nesting limit: they must run at the same call depth, so the
        # AST pass stays inline here rather than in a helper of its own.
        return None, False
    try:
        with quiet_warnings():
            compile(text, "<cachelint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        problem = ParseProblem("CL001", exc.lineno or 1, exc.offset or 1, f"syntax error: {exc.msg}; the file was not analysed")
        return problem, exc.msg in _NESTING_ERRORS
    except (ValueError, RecursionError, MemoryError):
        return ParseProblem("CL001", 1, 1, "file cannot be parsed (too deeply nested or too large); it was not analysed"), True
    return None, False


def _clean(message: str) -> str:
    first = (message or "invalid syntax").strip().splitlines()[0]
    for prefix in ("parser error: ",):
        first = first.removeprefix(prefix)
    if first.startswith("error at ") and ": " in first:
        first = first.split(": ", 1)[1]
    return first
