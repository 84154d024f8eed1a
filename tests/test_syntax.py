"""The symbol-table pre-check gives the same CL001 verdicts as building the AST (the check it replaced)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings

from cachelint.engine.parse import ParseProblem, _python_check
from cachelint.syntax import python_accepts

REPO = Path(__file__).resolve().parent.parent
FILES = sorted(p for root in ("tests", "examples", "cachelint") for p in (REPO / root).rglob("*.py"))
NESTING_ERRORS = ("too many nested parentheses", "too many levels of indentation")


def ast_only_check(text: str) -> tuple[ParseProblem | None, bool]:
    """What `_python_check` did before the pre-check: the AST pass alone."""
    try:
        compile(text, "<cachelint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        problem = ParseProblem("CL001", exc.lineno or 1, exc.offset or 1, f"syntax error: {exc.msg}; the file was not analysed")
        return problem, exc.msg in NESTING_ERRORS
    except (ValueError, RecursionError, MemoryError):
        return ParseProblem("CL001", 1, 1, "file cannot be parsed (too deeply nested or too large); it was not analysed"), True
    return None, False


# Refused by the parser, by the scope analysis only, or by the compiler only (which neither check runs).
SNIPPETS = {
    "valid": "x = 1\n",
    "parser error": "def f(:\n    pass\n",
    "bad indentation": "if x:\npass\n",
    "nonlocal at module level": "nonlocal x\n",
    "nonlocal in a class": "class C:\n    nonlocal x\n",
    "duplicate parameter": "def f(a, a):\n    pass\n",
    "global after assignment": "def f():\n    x = 1\n    global x\n",
    "star import in a function": "def f():\n    from os import *\n",
    "return outside a function": "return 1\n",
    "yield outside a function": "yield 1\n",
    "await outside async": "await x\n",
    "break outside a loop": "break\n",
    "parenthesis nesting": "x = " + "(" * 300 + "1" + ")" * 300 + "\n",
    "indentation nesting": "".join(" " * i + "if a:\n" for i in range(120)) + " " * 120 + "pass\n",
    "null character": "x = 1\0\n",
    "unterminated string": "x = 'abc\n",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_same_verdict_as_the_ast_pass_on_each_kind_of_refusal(name: str) -> None:
    assert _python_check(SNIPPETS[name]) == ast_only_check(SNIPPETS[name])


def test_same_verdict_on_the_repository_files() -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in FILES]
    assert [_python_check(t) for t in texts] == [ast_only_check(t) for t in texts]


# Expressions whose depth the parser does not limit, so the AST pass's recursion limit decides.
DEEP = {
    "binary operators": lambda n: "x = " + "1+" * n + "1\n",
    "attributes": lambda n: "x = a" + ".b" * n + "\n",
    "calls": lambda n: "x = f" + "()" * n + "\n",
    "subscripts": lambda n: "x = a" + "[0]" * n + "\n",
    "elif chain": lambda n: "if a: pass\n" + "elif a: pass\n" * n,
    "unary minus": lambda n: "x = " + "-" * n + "1\n",
    "lambdas": lambda n: "x = " + "lambda: " * n + "1\n",
}


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="from Python 3.12 the pre-check may accept deeper code than the AST pass run at a test's stack depth (2,958 attributes: both it and a plain compile accept them); the premise holds on 3.10 and 3.11",
)
@pytest.mark.parametrize("kind", sorted(DEEP))
def test_the_pre_check_never_accepts_deeper_code_than_the_ast_pass(kind: str) -> None:
    """Both passes stop at a recursion limit of their own; the pre-check's must not be the higher one."""
    build = DEEP[kind]
    low, high = 1, 64
    while high < 20_000 and python_accepts(build(high)):
        low, high = high, high * 2
    while low < high:  # the deepest text the pre-check accepts
        middle = (low + high + 1) // 2
        if python_accepts(build(middle)):
            low = middle
        else:
            high = middle - 1
    for depth in range(max(1, low - 3), low + 4):
        text = build(depth)
        assert _python_check(text) == ast_only_check(text), depth


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_same_verdict_on_generated_programs(source: str) -> None:
    assert _python_check(source) == ast_only_check(source)
