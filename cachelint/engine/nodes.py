"""Fast child access and tree walks for libcst nodes.

libcst's `node.children` builds a visitor on every access, which dominated the time of every
tree walk here. Nodes are dataclasses, so their children are the CSTNode values of their fields;
which fields can hold a node that matters is worked out once per node type from its annotations.
Whitespace, comments and punctuation are two thirds of a tree's nodes and no check looks at them
through a walk, so walks skip them.

libcst's node classes are ABCs, so `isinstance(node, cst.Call)` runs a Python-level
`ABCMeta.__instancecheck__` whenever the node is of another type: half a million calls, a tenth
of the analysis, on 300 agent files. No concrete node class has a subclass, so the engine and the
checks test them with `type(node) is cst.Call` (and `type(node) in (...)`), and keep
`isinstance` for the abstract bases (`cst.BaseExpression`, `cst.BaseCompoundStatement`, ...).
"""

from __future__ import annotations

import dataclasses
import typing
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import libcst as cst

from cachelint.syntax import quiet_warnings

# Methods that run once, when an object is made (in this order): what they set is fixed for that object.
INITIALIZERS = ("__init__", "__post_init__", "__attrs_post_init__", "model_post_init")

# Nodes that open a new scope: a walk "within a scope" does not enter them.
SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
LOOPS = (cst.For, cst.While)

# Layout and punctuation: the code generator needs them, the analysis never does.
TRIVIA = (
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Newline,
    cst.Comment,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Comma,
    cst.Semicolon,
    cst.Colon,
    cst.AssignEqual,
    cst.Dot,
)


@lru_cache(maxsize=None)
def _child_fields(node_type: type) -> tuple[str, ...]:
    """The fields of `node_type` whose annotation admits a node that is not trivia."""
    hints = typing.get_type_hints(node_type)
    return tuple(f.name for f in dataclasses.fields(node_type) if _admits_meaningful_node(hints.get(f.name, typing.Any)))


def _admits_meaningful_node(annotation: object) -> bool:
    if annotation is typing.Any:
        return True
    if isinstance(annotation, type):
        return issubclass(annotation, cst.CSTNode) and not issubclass(annotation, TRIVIA)
    return any(_admits_meaningful_node(arg) for arg in typing.get_args(annotation))


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children other than trivia (in field order); callers must not change the list."""
    if _memo is not None:
        known = _memo.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
    found: list[cst.CSTNode] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            found.extend(value)
        elif value is not None and value_type is not cst.MaybeSentinel:
            found.append(value)
    if _memo is not None:
        _memo[id(node)] = (node, found)
    return found


# The checks walk the same tree several times; while a module is being analysed, each node's
# children are computed once, and so is the walk of a module or block (the checks walk each
# function body once per history, turn or request they follow). The entries keep their nodes alive,
# so an id is never reused meanwhile.
_memo: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] | None = None
_walks: dict[tuple[int, bool], tuple[cst.CSTNode, list[cst.CSTNode]]] | None = None
# Roots whose walks are remembered: large and walked again; other roots are small.
_WALKED_AGAIN = frozenset({cst.Module, cst.IndentedBlock, cst.FunctionDef, cst.ClassDef})


@contextmanager
def memoized_children() -> Iterator[None]:
    """Remember children and walks for the duration of one module's analysis."""
    global _memo, _walks
    _memo, _walks = {}, {}
    try:
        yield
    finally:
        _memo = _walks = None


def string_value(node: cst.SimpleString) -> str | bytes | None:
    """The value of a string literal, or None when it cannot be evaluated.

    libcst's `evaluated_value` compiles every literal; most have no prefix and no escapes, and
    their value is the text between the quotes.
    """
    raw = node.value
    if raw[0] in "'\"" and "\\" not in raw and "\r" not in raw:
        quotes = 3 if raw[:3] in ('"""', "'''") else 1
        return raw[quotes:-quotes]
    try:
        with quiet_warnings():
            return node.evaluated_value
    except Exception:  # libcst raises whatever literal_eval raises on odd literals
        return None


def walk(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `root` (itself included), in source order."""
    return _remembered(root, False)


def walk_scope(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `root`, not entering nested functions, classes or lambdas."""
    return _remembered(root, True)


def _remembered(root: cst.CSTNode, scope: bool) -> Iterator[cst.CSTNode]:
    if _walks is None or type(root) not in _WALKED_AGAIN:
        return _walk(root, scope)
    known = _walks.get((id(root), scope))
    if known is None or known[0] is not root:
        known = _walks[(id(root), scope)] = (root, list(_walk(root, scope)))
    return iter(known[1])


def _walk(root: cst.CSTNode, scope: bool) -> Iterator[cst.CSTNode]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if scope:
            stack.extend(child for child in reversed(children(node)) if type(child) not in SCOPES)
        else:
            stack.extend(reversed(children(node)))


class Parents:
    """Each node's parent under `root`, looked up by identity."""

    def __init__(self, root: cst.CSTNode) -> None:
        self._by_id: dict[int, cst.CSTNode] = {}
        for node in walk(root):
            for child in children(node):
                self._by_id[id(child)] = node

    def get(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._by_id.get(id(node))

    def __getitem__(self, node: cst.CSTNode) -> cst.CSTNode:
        return self._by_id[id(node)]
