"""Exclusions given as plain names are a set lookup, with the verdicts of the compiled globs."""

from __future__ import annotations

import itertools

from cachelint.config import DEFAULT_EXCLUDE, _compiled_globs, _matchers, glob_match_any

PATTERNS = (*DEFAULT_EXCLUDE, "b+c", "x/", "/", "", "a\\b", "*.txt", "[ab]", "gen/*", "**/fixtures", "./out", "build?")
NAMES = ("venv", ".venv", "venv2", "b+c", "bbc", "x", "y", "", "a\\b", "c.txt", "a", "[ab]", "build1", "fixtures", "out", ".")


def regex_verdict(rel: str, patterns: tuple[str, ...]) -> bool:
    """The verdict of the compiled globs alone (what glob_match_any was before the name set)."""
    by_name, by_path = _compiled_globs(patterns)
    return bool((by_name and by_name.match(rel.rsplit("/", 1)[-1])) or (by_path and by_path.match(rel)))


def test_default_exclusions_compile_no_pattern() -> None:
    names, by_name, by_path = _matchers(DEFAULT_EXCLUDE)
    assert names == frozenset(DEFAULT_EXCLUDE)
    assert (by_name, by_path) == (None, None)


def test_same_verdicts_as_the_compiled_globs() -> None:
    rels = [*NAMES, *("/".join(p) for p in itertools.product(("src", "gen", "x"), NAMES))]
    for size in (1, 2, len(PATTERNS)):
        for start in range(0, len(PATTERNS), size):
            patterns = PATTERNS[start : start + size]
            for rel in rels:
                assert glob_match_any(rel, patterns) is regex_verdict(rel, patterns), (rel, patterns)
