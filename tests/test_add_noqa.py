"""`--add-noqa`: every current finding is suppressed where the suppression rules look, once."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from cachelint.cli import main

SOURCE = '''import time
import anthropic

client = anthropic.Anthropic()
SKILLS = {"b", "a"}  # noqa: E501 (long on purpose)


def run(q):
    system = f"""Today {time.time()}
and skills {", ".join(SKILLS)}
"""
    stamp = str(time.time())  # why: shown to the model
    return client.messages.create(model="m", max_tokens=5, system=system + stamp, messages=[{"role": "user", "content": q}])
'''


def invoke(tmp_path: Path, *args: str):
    os.chdir(tmp_path)
    return CliRunner().invoke(main, ["check", "--no-cache", *args, "agent.py"])


def test_add_noqa_suppresses_everything_merges_and_is_idempotent(tmp_path: Path) -> None:
    target = tmp_path / "agent.py"
    target.write_text(SOURCE)
    before = invoke(tmp_path, "--output-format", "concise")
    assert before.exit_code == 1

    added = invoke(tmp_path, "--add-noqa")
    assert added.exit_code == 0
    text = target.read_text()
    lines = text.splitlines()
    # Merged into the existing directive; the f-string's finding goes after its closing quotes.
    assert lines[4] == 'SKILLS = {"b", "a"}  # noqa: E501, CL201 (long on purpose)'
    assert lines[10] == '"""  # noqa: CL101'
    assert lines[11] == "    stamp = str(time.time())  # why: shown to the model  # noqa: CL101"
    assert added.stderr.strip() == "Added 3 noqa directives."

    assert invoke(tmp_path).exit_code == 0
    again = invoke(tmp_path, "--add-noqa")
    assert again.stderr.strip() == "Added 0 noqa directives." and target.read_text() == text
