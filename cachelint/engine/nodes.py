"""Fast child access and tree walks for libcst nodes.

libcst's `node.children` builds a visitor on every access, which dominated the time of every
tree walk here. Nodes are dataclasses, so their children are the CSTNode values of their fields;
the field names are looked up once per node type.
"""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import libcst as cst

# Nodes that open a new scope: a walk "within a scope" does not enter them.
SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_SCOPE_TYPES = frozenset(SCOPES)


@lru_cache(maxsize=None)
def _field_names(node_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(node_type))


@lru_cache(maxsize=None)
def _is_node_type(value_type: type) -> bool:
    # `isinstance(value, cst.CSTNode)` goes through ABCMeta on every call; a cached subclass
    # test per type is several times cheaper on the millions of values a walk looks at.
    return issubclass(value_type, cst.CSTNode)


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children (as `node.children`, without its cost); callers must not change the list."""
    if _memo is not None:
        known = _memo.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
    found: list[cst.CSTNode] = []
    for name in _field_names(type(node)):
        value = getattr(node, name)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            found.extend(item for item in value if _is_node_type(type(item)))
        elif _is_node_type(value_type):
            found.append(value)
    if _memo is not None:
        _memo[id(node)] = (node, found)
    return found


# The checks walk the same tree several times; while a module is being analysed, each node's
# children are computed once. The entry keeps its node alive, so an id is never reused meanwhile.
_memo: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] | None = None


@contextmanager
def memoized_children() -> Iterator[None]:
    """Remember children for the duration of one module's analysis."""
    global _memo
    _memo = {}
    try:
        yield
    finally:
        _memo = None


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
        return node.evaluated_value
    except Exception:  # libcst raises whatever literal_eval raises on odd literals
        return None


def walk(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `root` (itself included)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def walk_scope(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `root`, not entering nested functions, classes or lambdas."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in reversed(children(node)) if type(child) not in _SCOPE_TYPES)


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
