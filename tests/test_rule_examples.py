"""Every rule's VALID and INVALID examples from `rules/catalogue/` run as tests."""

from __future__ import annotations

import re

import pytest

from cachelint.catalogue import load_catalogue
from tests.helpers import check, expected, found

CASES = [
    pytest.param(rule.code, example, id=f"{rule.code}-{'valid' if example.valid else 'invalid'}-{i}")
    for rule in load_catalogue().rules
    for i, example in enumerate(rule.examples)
    if example.file.endswith(".py")  # config-file examples run in tests/test_configfiles.py
]


@pytest.mark.parametrize(("code", "example"), CASES)
def test_example(code: str, example) -> None:
    want = expected(example.code)
    if example.valid:
        assert want == [], "VALID examples must not carry expect annotations"
        assert [f for f in found(example.code) if f[1] == code] == []
    else:
        assert want, "INVALID examples must mark where the finding belongs with `# expect: CODE`"
        assert found(example.code) == want


def test_every_rule_has_docs_and_examples() -> None:
    for rule in load_catalogue().rules:
        assert rule.what and rule.why and rule.example and rule.use_instead, rule.code
        assert any(not e.valid for e in rule.examples) or rule.code == "CL003", f"{rule.code} has no INVALID example"
        assert any(e.valid for e in rule.examples), f"{rule.code} has no VALID example"


def test_messages_never_name_a_line() -> None:
    """Locations live in `location` and `related`; a line number in the text would change with
    every edit above it and break fingerprints (GitLab) and baselines."""
    messages = [d.message for rule in load_catalogue().rules for e in rule.examples if e.file.endswith(".py") for d in check(e.code)]
    assert messages
    assert not [m for m in messages if re.search(r"\bline \d+", m)]
