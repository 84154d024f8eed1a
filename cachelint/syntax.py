"""Python's own acceptance test for source text, without building an AST.

The engine's syntax check (CL001) and the start-up fast path (`cachelint.fastpath`) both ask it
first, so they agree by construction. It imports only a module built into the interpreter, so the
fast path pays nothing for it at start-up.
"""

# The C half of the `symtable` module; the Python half only wraps the result in classes (and
# imports weakref), which neither caller needs.
import _symtable


def python_accepts(text: str) -> bool:
    """True when Python parses `text` and builds its symbol table.

    This is about 40% cheaper than `compile(..., ast.PyCF_ONLY_AST)`, which turns every node into
    a Python object, and it accepts only text that the AST pass accepts too: it runs the same
    parser first, and its nesting limit is the same or lower (tests/test_syntax.py checks this on
    the running interpreter). False means "look closer", not "syntax error": it also refuses what
    only the scope analysis rejects (`nonlocal` at module level, a duplicate parameter).
    """
    try:
        _symtable.symtable(text, "<cachelint>", "exec")
    except Exception:  # noqa: BLE001 - any refusal (SyntaxError, RecursionError, MemoryError, ValueError) means "look closer"
        return False
    return True
