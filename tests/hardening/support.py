"""Shared pieces of the hardening tests: running the engine and the command line, judging results."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from cachelint.catalogue import load_catalogue
from cachelint.cli import main
from cachelint.diagnostics import FileResult
from cachelint.engine import check_source
from cachelint.knowledge import load_knowledge

REPO = Path(__file__).resolve().parents[2]
CORPORA = (REPO / "tests" / "eval" / "corpus", REPO / "tests" / "eval" / "corpus_dynamics")
CATALOGUE = load_catalogue()
KNOWLEDGE = load_knowledge()
ENABLED = frozenset(CATALOGUE.by_code())
# Mentioning a sink sends a file through the whole engine (libcst, dataflow, rules), not only `ast`.
SINK_HEADER = b"import anthropic\nclient = anthropic.Anthropic()\nclient.messages.create(model='m', max_tokens=1, system='', messages=[])\n"
# One small file per safe fix kind (CL201 set order, CL204 json.dumps, CL202 listing).
FIXABLE = {
    "set_order.py": b'import anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef run(question):\n    names = {"b", "a"}\n    system = "Tools: " + ", ".join(names)\n    return client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": question}])\n',
    "json_keys.py": b'import json\nimport anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef run(rows, question):\n    system = "Rows: " + json.dumps(json.loads(rows))\n    return client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": question}])\n',
    "listing.py": b'import os\nimport anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef run(question):\n    system = "Files: " + ", ".join(os.listdir("docs"))\n    return client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": question}])\n',
}


def engine(data: bytes, filename: str = "input.py") -> FileResult:
    """The engine's result for some bytes; every problem must come back as a diagnostic."""
    result = check_source(data, filename, KNOWLEDGE, CATALOGUE, ENABLED)
    assert_well_formed(result, data)
    return result


def assert_well_formed(result: FileResult, data: bytes) -> None:
    """Positions are 1-based; CL001/CL003 say why the file was not analysed, and stand alone."""
    for diag in result.diagnostics:
        assert diag.location.row >= 1 and diag.location.column >= 1, diag
        assert diag.code in CATALOGUE.by_code(), diag.code
        if diag.code in ("CL001", "CL003"):
            assert "not analysed" in diag.message, diag.message
            assert len(result.diagnostics) == 1, "an unanalysed file has no other findings"
            assert diag.location.row <= data.count(b"\n") + 1, (diag, data.count(b"\n"))


def invoke(*args: str) -> Result:
    """The command line in this process (so monkeypatches apply)."""
    return CliRunner().invoke(main, list(args))


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh interpreter: a crash (even a segfault) fails the test, not the run."""
    return subprocess.run(
        [sys.executable, "-m", "cachelint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
