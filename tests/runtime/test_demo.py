"""The demo `make demo` runs shows a drift report on a simulated two-turn conversation."""

from __future__ import annotations

import runpy
from pathlib import Path


def test_runtime_demo_prints_the_drift_report(capsys):
    runpy.run_path(str(Path(__file__).parents[2] / "examples" / "runtime_demo.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert 'prefix drift in conversation "ticket-4711", turn 2' in out
    assert "first change: system[0]" in out and "fix: move volatile values" in out
    assert "10:46:13" not in out.split("turn 2: system prompt rendered at 10:46:13")[1]  # no prompt text in the report
