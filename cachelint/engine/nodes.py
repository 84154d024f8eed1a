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


@lru_cache(maxsize=None)
def _field_names(node_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(node_type))


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node's children in source order (as `node.children`, without its cost)."""
    for name in _field_names(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def walk(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `root` (itself included)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(children(node))))


def walk_scope(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `root`, not entering nested functions, classes or lambdas."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in reversed(list(children(node))) if not isinstance(child, SCOPES))
