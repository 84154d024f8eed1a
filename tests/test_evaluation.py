"""The held-out evaluation corpus (tests/eval): precision and recall per rule, through the CLI.

Targets from the catalogue issue: precision >= 0.95 and recall >= 0.90 per rule. Precision is
enforced for every rule; recall is enforced at the level reached so far (see the issue notes for
the rules still below 0.90), so a regression fails the suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.eval.evaluate import evaluate

CORPUS = Path(__file__).parent / "eval" / "corpus"
RECALL_FLOOR = {"CL101": 0.95, "CL102": 0.9, "CL103": 0.85, "CL201": 0.85, "CL202": 0.85, "CL203": 0.6, "CL204": 0.6, "CL301": 0.8, "CL302": 0.6}


@pytest.fixture(scope="module")
def table() -> dict:
    return evaluate(CORPUS, set(RECALL_FLOOR))


@pytest.mark.parametrize("rule", sorted(RECALL_FLOOR))
def test_precision_and_recall(table: dict, rule: str) -> None:
    row = table["rules"][rule]
    assert row["precision"] >= 0.95, f"{rule}: false positives {row.get('false_positives')}"
    assert row["recall"] >= RECALL_FLOOR[rule], f"{rule}: false negatives {row.get('false_negatives')}"
