"""Python's own acceptance test for source text, without building an AST.

The engine's syntax check (CL001) and the start-up fast path (`cachelint.fastpath`) both ask it
first, so they agree by construction. It imports only a module built into the interpreter, so the
fast path pays nothing for it at start-up.
"""

# The C half of the `symtable` module; the Python half only wraps the result in classes (and
# imports weakref), which neither caller needs.
import _symtable
import _warnings
import sys

# Parsing a user's file can raise warnings about its text (an invalid escape like "\d"): from
# Python 3.12 on a SyntaxWarning that is printed by default, before that a DeprecationWarning that
# only warning options make visible. They are the user's compiler's business, not findings, and
# would land on cachelint's stderr under the name "<cachelint>" (and -W error would turn them into
# syntax errors).
_WARNINGS_SHOW = sys.version_info >= (3, 12) or bool(sys.warnoptions)
_IGNORE_ALL = ("ignore", None, Warning, None, 0)


class quiet_warnings:
    """`with quiet_warnings():` silences the warnings Python raises about the text parsed inside.

    A context manager rather than a wrapper function: Python's parser limits nesting by the
    caller's stack depth, so a parse must run at the depth its caller chose (see `_python_check`).
    Until something imports `warnings` (half a millisecond), the interpreter reads its filters
    from the built-in `_warnings`, which the start-up fast path changes directly.
    """

    __slots__ = ("_saved",)

    def __enter__(self) -> None:
        self._saved: object = None
        if not _WARNINGS_SHOW:
            return
        if "warnings" in sys.modules or not hasattr(_warnings, "_filters_mutated"):
            import warnings

            self._saved = saved = warnings.catch_warnings()
            saved.__enter__()
            warnings.simplefilter("ignore")
            return
        self._saved = _warnings.filters[:]
        _warnings.filters.insert(0, _IGNORE_ALL)
        _warnings._filters_mutated()

    def __exit__(self, *exc: object) -> None:
        saved = self._saved
        if isinstance(saved, list):
            _warnings.filters[:] = saved
            _warnings._filters_mutated()
        elif saved is not None:
            saved.__exit__(*exc)  # type: ignore[attr-defined]


def python_accepts(text: str) -> bool:
    """True when Python parses `text` and builds its symbol table.

    This is about 40% cheaper than `compile(..., ast.PyCF_ONLY_AST)`, which turns every node into
    a Python object, and it accepts only text that the AST pass accepts too: it runs the same
    parser first, and its nesting limit is the same or lower (tests/test_syntax.py checks this on
    the running interpreter). False means "look closer", not "syntax error": it also refuses what
    only the scope analysis rejects (`nonlocal` at module level, a duplicate parameter).
    """
    try:
        with quiet_warnings():
            _symtable.symtable(text, "<cachelint>", "exec")
    except Exception:  # noqa: BLE001 - any refusal (SyntaxError, RecursionError, MemoryError, ValueError) means "look closer"
        return False
    return True
