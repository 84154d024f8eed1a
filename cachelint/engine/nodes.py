"""Fast child access and tree walks for libcst nodes.

libcst's `node.children` builds a visitor on every access, which dominated the time of every
tree walk here. Nodes are dataclasses, so their children are the CSTNode values of their fields;
the field names are looked up once per node type.
"""

from __future__ import annotations

import dataclasses
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
    """The node's children in source order (as `node.children`, without its cost)."""
    found: list[cst.CSTNode] = []
    for name in _field_names(type(node)):
        value = getattr(node, name)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            found.extend(item for item in value if _is_node_type(type(item)))
        elif _is_node_type(value_type):
            found.append(value)
    return found


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
