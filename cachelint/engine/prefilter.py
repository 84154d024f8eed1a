"""A byte-level test that decides, without parsing, whether a file can reach any sink at all.

Two stages: one alternation finds which sink words occur at all (cheap on any file); only for
spellings whose words all occur, a precise pattern confirms the spelling itself (`messages.create`
as a call chain, `"role": "system"` as a dict key, `@agent.instructions` as a decorator), so prose
that merely mentions the words does not cost a parse.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from cachelint.knowledge import Knowledge

# Attributes that may sit inside an SDK call chain without changing the call (see engine/resolve.py).
_CHAIN_GAP = rb"\s*\.\s*(?:(?:with_raw_response|with_streaming_response)\s*\.\s*)?"
_KEY = rb"""["']%s["']\s*:"""


@dataclass(frozen=True)
class Spelling:
    """A way to write a sink: the words it needs, and the pattern that confirms it."""

    words: frozenset[bytes]
    pattern: re.Pattern[bytes]


def spellings(knowledge: Knowledge) -> list[Spelling]:
    """For every way to write a sink: the words it needs and the pattern that confirms it."""
    out: dict[tuple[frozenset[bytes], bytes], Spelling] = {}

    def add(words: list[str], pattern: bytes) -> None:
        # Keyed by words and pattern: `crewai.Agent` and `pydantic_ai.Agent` share the pattern
        # `\bAgent\b` but not the package name that must be present.
        needed = frozenset(w.encode() for w in words)
        out.setdefault((needed, pattern), Spelling(needed, re.compile(pattern)))

    for sink in knowledge.sinks:
        for method in sink.methods:
            parts = method.split(".")
            chain = _CHAIN_GAP.join(re.escape(p.encode()) for p in parts)
            pattern = rb"\b" + chain + rb"\s*\("
            if knowledge.forwarders:
                # Also a method handed to a forwarder as a value (`asyncio.to_thread(client.messages.create, ...)`);
                # a one-word method only after a dot, so prose ("one completion, ...") does not match.
                pattern = rb"(?:" + pattern + rb"|" + (rb"\b" if len(parts) > 1 else rb"\.\s*") + chain + rb"\s*[,)])"
            add(parts, pattern)
        for call in (*sink.calls, *sink.bases):
            # Calling `pydantic_ai.Agent` under any alias needs an import that names its package,
            # so prose and other libraries' `Agent` or `Tool` do not cost a parse.
            root, name = call.split(".", 1)[0], call.rsplit(".", 1)[-1]
            add([root, name], rb"\b" + re.escape(name.encode()) + rb"\b")
        for decorator in sink.decorators:
            add([decorator], rb"@[\w.\s]*\b" + re.escape(decorator.encode()) + rb"\b")
    for shape in knowledge.shapes:
        if shape.form == "tuple":
            # A tuple that opens with one of the allowed constants (`("system", ...`); without a
            # condition on its first position, any tuple may be one.
            first = dict(shape.when).get("0")
            for package in shape.packages or ("",):
                for value in first or ():
                    add([w for w in (value, package) if w], rb"\(\s*[\"']" + re.escape(value.encode()) + rb"[\"']\s*,")
                if not first:
                    add([package] if package else [], rb"\(")
            continue
        # Every key of `when` (with one of its allowed constants) and one of `any-of`, as dict keys.
        choices = [[(key, None)] if allowed is None else [(key, value) for value in allowed] for key, allowed in shape.when]
        if shape.any_of:
            choices.append([(key, None) for key in shape.any_of])
        for combo in itertools.product(*choices):
            words = [w for key, value in combo for w in (key, value) if w]
            lookaheads = b"".join(
                rb"(?=[\s\S]*" + (_KEY % re.escape(key.encode())) + (rb"\s*[\"']" + re.escape(value.encode()) + rb"[\"']" if value else b"") + rb")"
                for key, value in combo
            )
            add(words, rb"\A" + lookaheads)
    for key in knowledge.breakpoint_keys:
        # A file that writes a breakpoint key can misplace breakpoints without a sink call of its own.
        add([key], rb"""["']""" + re.escape(key.encode()) + rb"""["']""")
    return list(out.values())


def source_words(knowledge: Knowledge) -> set[str]:
    """Words that a module producing a volatile value must contain (for cross-module summaries)."""
    # `secrets.*` is spelled with its module's name (`secrets.token_hex`, `from secrets import ...`).
    words = {s.method or (s.call[:-2].rsplit(".", 1)[-1] if s.call.endswith(".*") else s.call.rsplit(".", 1)[-1]) for s in knowledge.sources}
    words |= {u.method or (u.call or "").rsplit(".", 1)[-1] for u in knowledge.unordered_dicts}
    return {w for w in words if w and w != "*"}


@lru_cache(maxsize=8)
def matcher(knowledge: Knowledge) -> tuple[re.Pattern[bytes], tuple[Spelling, ...]]:
    """The compiled prefilter: one pattern for the vocabulary, and every spelling.

    The start-up fast path applies the same two stages to these same patterns (recorded by
    `cachelint.fastpath_store`), so a change here reaches it without a second copy.
    """
    found = tuple(spellings(knowledge))
    vocabulary = sorted(set().union(*(s.words for s in found)), key=len, reverse=True)
    return re.compile(rb"\b(?:" + b"|".join(re.escape(w) for w in vocabulary) + rb")\b"), found


def may_contain_sink(data: bytes, knowledge: Knowledge) -> bool:
    """False only when no sink can be spelled in these bytes, so no dataflow rule can report."""
    pattern, found = matcher(knowledge)
    present = set(pattern.findall(data))
    return any(s.words <= present and s.pattern.search(data) for s in found)


@lru_cache(maxsize=8)
def _source_pattern(knowledge: Knowledge) -> re.Pattern[bytes]:
    words = sorted(source_words(knowledge), key=len, reverse=True)
    return re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in words) + rb")\b")


_CLASS = re.compile(rb"^[ \t]*class[ \t]+\w", re.M)


def may_produce_volatile(data: bytes, knowledge: Knowledge) -> bool:
    """False only when no volatile source can be spelled in these bytes and no class is defined
    (its methods may change the attributes an importer builds a prompt from: CL302)."""
    return _source_pattern(knowledge).search(data) is not None or _CLASS.search(data) is not None
