"""The engine's tree helpers agree with libcst: children, memoized children, string values."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cachelint.engine.nodes import TRIVIA, children, memoized_children, string_value, walk

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
