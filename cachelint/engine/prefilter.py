"""A byte-level test that decides, without parsing, whether a file can reach any sink at all."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from cachelint.knowledge import Knowledge


def spellings(knowledge: Knowledge) -> list[tuple[str, ...]]:
    """For every way to write a sink, the words that must all occur in a file that writes it."""
    out: list[tuple[str, ...]] = []
    for sink in knowledge.sinks:
        out += [tuple(m.split(".")) for m in sink.methods]
        out += [(c.rsplit(".", 1)[-1],) for c in sink.calls]
        out += [(d,) for d in sink.decorators]
    for shape in knowledge.shapes:
        # Every key of `when`, with one of its allowed constants, and one of `any-of`.
        choices = [[key] if allowed is None else [f"{key} {value}" for value in allowed] for key, allowed in shape.when]
        if shape.any_of:
            choices.append(list(shape.any_of))
        for combo in itertools.product(*choices):
            out.append(tuple(word for part in combo for word in part.split()))
    return list(dict.fromkeys(out))


def source_words(knowledge: Knowledge) -> set[str]:
    """Words that a module producing a volatile value must contain (for cross-module summaries)."""
    words = {s.method or s.call.rsplit(".", 1)[-1] for s in knowledge.sources}
    words |= {u.method or (u.call or "").rsplit(".", 1)[-1] for u in knowledge.unordered_dicts}
    return {w for w in words if w and w != "*"}


@lru_cache(maxsize=8)
def _matcher(knowledge: Knowledge) -> tuple[re.Pattern[bytes], tuple[frozenset[bytes], ...]]:
    groups = tuple(frozenset(w.encode() for w in words) for words in spellings(knowledge))
    vocabulary = sorted(set().union(*groups), key=len, reverse=True)
    return re.compile(rb"\b(?:" + b"|".join(re.escape(w) for w in vocabulary) + rb")\b"), groups


def words_present(data: bytes, pattern: re.Pattern[bytes]) -> set[bytes]:
    return set(pattern.findall(data))


def may_contain_sink(data: bytes, knowledge: Knowledge) -> bool:
    """False only when no sink can be spelled in these bytes, so no dataflow rule can report."""
    pattern, groups = _matcher(knowledge)
    present = words_present(data, pattern)
    return any(group <= present for group in groups)


@lru_cache(maxsize=8)
def _source_pattern(knowledge: Knowledge) -> re.Pattern[bytes]:
    words = sorted(source_words(knowledge), key=len, reverse=True)
    return re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in words) + rb")\b")


def may_produce_volatile(data: bytes, knowledge: Knowledge) -> bool:
    """False only when no volatile source can be spelled in these bytes."""
    return _source_pattern(knowledge).search(data) is not None
