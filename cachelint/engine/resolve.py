"""Light name resolution: local import aliases to dotted names, without libcst's scope providers.

`from datetime import datetime as dt` maps `dt` to `datetime.datetime`, so `dt.now` resolves to
`datetime.datetime.now`. Imports anywhere in the module count (flow-insensitive), which is what
real code needs and costs one walk over the statements.
"""

from __future__ import annotations

import libcst as cst

from cachelint.engine.nodes import children

# Receiver-chain calls and attributes that return the same resource with other options.
TRANSPARENT_CALLS = frozenset({"with_options", "copy", "with_middleware"})
TRANSPARENT_ATTRIBUTES = frozenset({"with_raw_response", "with_streaming_response"})


def import_aliases(module: cst.Module) -> dict[str, str]:
    """Map each local name bound by an import anywhere in the module to its dotted target."""
    aliases: dict[str, str] = {}
    stack: list[cst.CSTNode] = list(module.body)
    while stack:
        node = stack.pop()
        if type(node) is cst.SimpleStatementLine:
            for small in node.body:
                if type(small) is cst.Import:
                    _add_import(small, aliases)
                elif type(small) is cst.ImportFrom:
                    _add_import_from(small, aliases)
        elif isinstance(node, cst.BaseCompoundStatement):
            # Only statement bodies can hold imports; expressions are never walked.
            for child in children(node):
                if type(child) in (cst.IndentedBlock, cst.SimpleStatementSuite):
                    stack.extend(child.body)
                elif type(child) in (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler, cst.If):
                    stack.append(child)
                elif type(child) is cst.MatchCase:
                    stack.extend(child.body.body if type(child.body) is cst.IndentedBlock else [])
        elif type(node) in (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler):
            body = node.body
            if type(body) in (cst.IndentedBlock, cst.SimpleStatementSuite):
                stack.extend(body.body)
    return aliases


def _add_import(node: cst.Import, aliases: dict[str, str]) -> None:
    for alias in node.names:
        full = dotted_name(alias.name)
        if full is None:
            continue
        if alias.asname is not None and type(alias.asname.name) is cst.Name:
            aliases[alias.asname.name.value] = full
        else:
            head = full.split(".", 1)[0]
            aliases[head] = head


def _add_import_from(node: cst.ImportFrom, aliases: dict[str, str]) -> None:
    if type(node.names) is cst.ImportStar:
        return
    module = dotted_name(node.module) if node.module is not None else ""
    base = "." * len(node.relative) + (module or "")
    for alias in node.names:
        name = dotted_name(alias.name)
        if name is None:
            continue
        asname = alias.asname.name if alias.asname is not None else None
        local = asname.value if type(asname) is cst.Name else name
        aliases[local] = f"{base}{name}" if not base or base.endswith(".") else f"{base}.{name}"


def dotted_name(node: cst.BaseExpression | None) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is cst.Name:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def qualify(dotted: str, aliases: dict[str, str]) -> str:
    """Replace the first component of a dotted name by what it was imported as."""
    head, _, tail = dotted.partition(".")
    target = aliases.get(head)
    if target is None:
        return dotted
    return f"{target}.{tail}" if tail else target


def receiver_chain(func: cst.BaseExpression) -> list[str]:
    """Attribute names of a call's receiver chain, skipping option-copying calls.

    `self.client.with_options(timeout=5).messages.create` gives
    `["self", "client", "messages", "create"]`.
    """
    parts: list[str] = []
    node: cst.BaseExpression = func
    while True:
        if type(node) is cst.Attribute:
            if node.attr.value not in TRANSPARENT_ATTRIBUTES:
                parts.append(node.attr.value)
            node = node.value
        elif type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in TRANSPARENT_CALLS:
            node = node.func.value
        elif type(node) is cst.Name:
            parts.append(node.value)
            break
        else:
            parts.append("?")
            break
    return list(reversed(parts))
