"""Warnings Python raises about a user's source text (an invalid escape like "\\d") are not
cachelint's output: from Python 3.12 on they are printed by default, and `-W error` would turn
them into syntax errors. Here warning options make them visible on any Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SINK = '''import anthropic

PATTERN = "\\d+ items"
client = anthropic.Anthropic()


def ask(question: str) -> str:
    prompt = "You count " "\\d things"
    reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, system=prompt, tools=list({"a", "b"}), messages=[{"role": "user", "content": question}])
    return reply.content[0].text
'''
NO_SINK = 'import re\n\nNUMBER = re.compile("\\d+")\n'


@pytest.mark.parametrize("option", ["default", "error"])
@pytest.mark.parametrize("fix", [False, True])
def test_warnings_about_checked_code_stay_silent(tmp_path: Path, option: str, fix: bool) -> None:
    assert "\"\\d" in SINK and "\"\\d" in NO_SINK  # an invalid escape: the text Python warns about
    (tmp_path / "agent.py").write_text(SINK, encoding="utf-8")
    (tmp_path / "util.py").write_text(NO_SINK, encoding="utf-8")
    args = ["check", "--no-cache", "--output-format", "concise", "-j", "1", *(["--fix"] if fix else []), "."]
    quiet = subprocess.run([sys.executable, "-m", "cachelint", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    if fix:  # undo, so the second run sees the same files
        (tmp_path / "agent.py").write_text(SINK, encoding="utf-8")
    loud = subprocess.run([sys.executable, "-W", option, "-m", "cachelint", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert "Warning" not in loud.stderr and "<cachelint>" not in loud.stderr
    assert "CL001" not in loud.stdout
    assert "Fixed 1 error" in quiet.stderr if fix else "CL201" in quiet.stdout
    assert (loud.returncode, loud.stdout, loud.stderr) == (quiet.returncode, quiet.stdout, quiet.stderr)
