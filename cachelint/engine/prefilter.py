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


@lru_cache(maxsize=8)
def _requirements(knowledge: Knowledge) -> tuple[tuple[re.Pattern[bytes], ...], ...]:
    return tuple(tuple(re.compile(rb"\b" + re.escape(w.encode()) + rb"\b") for w in words) for words in spellings(knowledge))


def may_contain_sink(data: bytes, knowledge: Knowledge) -> bool:
    """False only when no sink can be spelled in these bytes, so no dataflow rule can report."""
    return any(all(p.search(data) for p in group) for group in _requirements(knowledge))
