"""The engine's tree helpers agree with libcst: children, memoized children, string values."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cachelint.engine.nodes import TRIVIA, children, memoized_children, string_value, walk, walk_scope

SOURCE = (Path(__file__).parent / "eval" / "corpus").glob("*.py")
# Standard-library modules with most of the grammar: decorators, async, comprehensions, match, walrus.
STDLIB = [Path(sysconfig.get_paths()["stdlib"]) / name for name in ("typing.py", "dataclasses.py", "asyncio/tasks.py", "inspect.py", "ast.py")]


@pytest.mark.parametrize("path", sorted(SOURCE)[::20] + STDLIB, ids=lambda p: p.name)
def test_children_are_libcsts_children_without_trivia(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        expected = [c for c in node.children if not isinstance(c, TRIVIA)]
        assert sorted(id(c) for c in children(node)) == sorted(id(c) for c in expected)
        stack.extend(node.children)


def test_memoized_walks_visit_the_same_nodes_as_plain_walks() -> None:
    module = cst.parse_module("def f(a):\n    return [a, {'k': a}]\n")
    plain = [id(n) for n in walk(module)]
    with memoized_children():
        first = [id(n) for n in walk(module)]
        again = [id(n) for n in walk(module)]
    assert first == again == plain


@pytest.mark.parametrize("path", STDLIB[:2], ids=lambda p: p.name)
def test_remembered_walks_of_modules_classes_functions_and_blocks_equal_fresh_ones(path: Path) -> None:
    # Remembered per root and per kind: a whole walk of a function must never answer its scope walk.
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    roots = [n for n in walk(module) if type(n) in (cst.Module, cst.FunctionDef, cst.ClassDef, cst.IndentedBlock)]
    fresh = [([id(n) for n in walk(r)], [id(n) for n in walk_scope(r)]) for r in roots]
    with memoized_children():
        scopes = [[id(n) for n in walk_scope(r)] for r in roots]  # remembered before the whole walks
        wholes = [[id(n) for n in walk(r)] for r in roots]
        again = [([id(n) for n in walk(r)], [id(n) for n in walk_scope(r)]) for r in roots]
    assert list(zip(wholes, scopes)) == fresh == again


@pytest.mark.parametrize(
    "literal",
    ["'a'", '"b c"', "'''x\ny'''", '"""q"""', "''", "'\\n'", "r'\\d+'", "b'raw'", "u'x'", "'\\N{BULLET}'", "'\\x41\\u00e9'"],
)
def test_string_value_equals_python(literal: str) -> None:
    assert string_value(cst.SimpleString(literal)) == ast.literal_eval(literal)


@given(st.text())
def test_string_value_of_any_repr(text: str) -> None:
    literal = repr(text)
    assert string_value(cst.SimpleString(literal)) == text
