"""The findings do not depend on the process's hash seed (a parallel run must equal a serial one).

Where several facts meet at one place (two attributes of `ctx.deps` read by one prompt function,
two origins of a dict's key order), which one a message names used to follow set order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FILES = [
    REPO / "tests" / "eval" / "corpus" / "pydantic_ai_instructions_reads_mutable_deps.py",
    REPO / "tests" / "eval" / "corpus_fresh" / "langchain_system_message_merged_tenant_prefs.py",
    # A counter (`step += 1`) beside the record list: which one is the re-rendered history used to follow set order.
    REPO / "tests" / "eval" / "corpus_dynamics" / "agent_rerender_with_step_counter.py",
]


def findings(seed: int, config: Path) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    args = [sys.executable, "-m", "cachelint", "check", "--no-cache", "-j1", "--config", str(config), "--output-format", "json", *map(str, FILES)]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert proc.returncode == 1, proc.stderr
    return proc.stdout


def test_findings_are_the_same_under_every_hash_seed(tmp_path: Path) -> None:
    config = tmp_path / "cachelint.yaml"
    config.write_text("select: [ALL]\n")
    outputs = {findings(seed, config) for seed in range(6)}
    assert len(outputs) == 1
