"""CL301 support: is a piece of prompt text static, how long is it, and does dynamic text come first."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from cachelint.engine.values import Value, all_facts

# Static text after a dynamic part shorter than this (about 100 tokens, a fraction of a cent per
# call to re-write) is a "tiny static tail" and not worth a finding.
MIN_STATIC_CHARS = 400
# About the smallest minimum cacheable prefix (1024 tokens at ~4 characters a token).
LARGE_STATIC_CHARS = 4096
# A constant whose text cannot be seen here (imported, or computed); its size is unknown.
UNKNOWN_SIZE = -1
CONSTANT_NAME = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
# What a dynamic first message is placed before when earlier turns follow it.
REPLAYED_HISTORY = "the replayed conversation history"


@dataclass(frozen=True)
class Part:
    """One piece of composed text, in order: its value and the node it came from."""

    value: Value
    node: cst.CSTNode | None
    literal: str | None = None
    replayed: bool = False  # earlier turns of a conversation: stable, and of unknown size


@dataclass(frozen=True)
class Finding:
    dynamic: Part
    static_chars: int  # UNKNOWN_SIZE when a constant of unknown size follows
    params: tuple[str, ...]
    replayed: bool = False  # replayed turns follow the dynamic part


def is_dynamic(part: Part) -> bool:
    """Per-request content: it carries a parameter (request input) or changing state, nothing volatile.

    Parts that carry a volatile source (a clock, an id) are left to CL1xx/CL2xx, whose fix (move
    it to the end) also fixes the layout.
    """
    if part.replayed:
        return False
    facts = [f for f in all_facts(part.value) if not f.latent]
    if not facts:
        return False
    return all(f.is_param or f.rule == "CL302" for f in facts)


def static_size(part: Part) -> int:
    """Characters of static text in a part: 0 when it is not static or not visibly constant."""
    if part.literal is not None:
        return len(part.literal)
    if part.replayed:
        return UNKNOWN_SIZE
    if all_facts(part.value):
        return 0
    if part.value.const is not None:
        return len(part.value.const)
    node = part.node
    if type(node) is cst.Attribute:
        node = node.attr
    if type(node) is cst.Name and CONSTANT_NAME.match(node.value):
        return UNKNOWN_SIZE
    return 0


def dynamic_before_static(parts: list[Part]) -> Finding | None:
    """The first dynamic part that precedes enough static text, if any."""
    for i, part in enumerate(parts):
        if not is_dynamic(part):
            continue
        total, unknown = 0, False
        for later in parts[i + 1 :]:
            size = static_size(later)
            if size == UNKNOWN_SIZE:
                unknown = True
            else:
                total += size
        if total >= MIN_STATIC_CHARS or unknown:
            params = tuple(sorted({f.param.split(".")[0] for f in all_facts(part.value) if f.is_param and f.param}))
            has_state = any(f.rule == "CL302" for f in all_facts(part.value))
            replayed = any(p.replayed for p in parts[i + 1 :])
            return Finding(part, UNKNOWN_SIZE if unknown and total < MIN_STATIC_CHARS else total, () if has_state else params, replayed)
        return None
    return None


def what_follows(finding: Finding) -> str:
    """The static part the dynamic one precedes, as a message names it."""
    if finding.replayed:
        return REPLAYED_HISTORY
    if finding.static_chars == UNKNOWN_SIZE:
        return "static text of unknown size"
    return f"{finding.static_chars} characters of static text"


def severity_for(finding: Finding) -> str:
    """High when what follows passes the smallest cacheable size (a conversation soon does)."""
    static_chars = finding.static_chars
    if finding.replayed:
        return "high"
    if static_chars == UNKNOWN_SIZE:
        return "medium"
    return "high" if static_chars >= LARGE_STATIC_CHARS else "low"


PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)?[^{}]*\}")


def template_parts(template: str, positional: list[Part], named: dict[str, Part]) -> list[Part]:
    """`"{user} ... long text".format(user=u)` as parts in the order the template places them."""
    parts: list[Part] = []
    index = 0
    position = 0
    for match in PLACEHOLDER.finditer(template.replace("{{", "  ").replace("}}", "  ")):
        parts.append(Part(Value(), None, template[index : match.start()]))
        name = match.group(1)
        if name is not None and name in named:
            parts.append(named[name])
        elif name is None and position < len(positional):
            parts.append(positional[position])
            position += 1
        index = match.end()
    parts.append(Part(Value(), None, template[index:]))
    return parts
