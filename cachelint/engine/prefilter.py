"""A byte-level test that decides, without parsing, whether a file can reach any sink at all."""

from __future__ import annotations

import re
from functools import lru_cache

from cachelint.knowledge import Knowledge


@lru_cache(maxsize=8)
def _requirements(knowledge: Knowledge) -> tuple[tuple[re.Pattern[bytes], ...], ...]:
    """For each sink spelling, the words that must all occur in a file that uses it."""
    groups: list[tuple[re.Pattern[bytes], ...]] = []
    seen: set[tuple[str, ...]] = set()
    for sink in knowledge.sinks:
        spellings = [tuple(m.split(".")) for m in sink.methods] + [(c.rsplit(".", 1)[-1],) for c in sink.calls]
        for words in spellings:
            if words not in seen:
                seen.add(words)
                groups.append(tuple(re.compile(rb"\b" + re.escape(w.encode()) + rb"\b") for w in words))
    return tuple(groups)


def may_contain_sink(data: bytes, knowledge: Knowledge) -> bool:
    """False only when no sink can be spelled in these bytes, so no dataflow rule can report."""
    return any(all(p.search(data) for p in group) for group in _requirements(knowledge))
