"""Notebooks: code cells checked as one script, findings reported per cell, broken notebooks as CL003."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cachelint.cli import main
from cachelint.notebooks import BrokenNotebook, notebook_text


def code(source: str | list[str]) -> dict:
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}


CELLS = [
    {"cell_type": "markdown", "metadata": {}, "source": ["# An agent\n"]},
    code(["%pip install anthropic\n", "import time\n", "import anthropic\n", "client = anthropic.Anthropic()"]),
    code(["!ls\n", "system = f\"Now: {time.time()}\"\n", "client.messages.create(model=\"m\", max_tokens=5, system=system, messages=[])\n"]),
    code("%%bash\necho {not python\n"),
    code(["import json\n", "stamp = time.time()  # noqa: CL101\n", "client.messages.create(model=\"m\", max_tokens=5, system=str(stamp), messages=[])\n"]),
]


def notebook(cells: list[dict]) -> str:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def test_magics_become_empty_lines_so_rows_stay_where_they_were() -> None:
    text = notebook_text(notebook(CELLS).encode())
    lines = text.text.splitlines()
    assert text.cell_starts == (1, 5, 8, 10)
    assert lines[0] == "" and lines[4] == "" and lines[7:9] == ["", ""]
    assert lines[5] == 'system = f"Now: {time.time()}"'
    assert text.cell_of(6) == (2, 2) and text.cell_of(11) == (4, 2)


@pytest.mark.parametrize("data", [b"{not json", b'{"metadata": {}}', b"[1, 2]"])
def test_not_a_notebook_is_rejected(data: bytes) -> None:
    with pytest.raises(BrokenNotebook):
        notebook_text(data)


def run(tmp_path: Path, *args: str):
    os.chdir(tmp_path)
    return CliRunner().invoke(main, ["check", "--no-cache", *args])


def test_findings_are_shown_by_cell_and_row_in_the_cell(tmp_path: Path) -> None:
    (tmp_path / "agent.ipynb").write_text(notebook(CELLS))
    result = run(tmp_path, "--output-format", "concise", ".")
    assert result.exit_code == 1
    # Cell 4's suppression works as in a script; cell 2, row 2 is the clock.
    assert result.output.splitlines()[0].startswith("agent.ipynb:cell 2:2:18: CL101 ")
    assert "Found 1 error" in result.output


def test_json_keeps_the_row_inside_the_cell_and_adds_cell(tmp_path: Path) -> None:
    (tmp_path / "agent.ipynb").write_text(notebook(CELLS))
    [item] = json.loads(run(tmp_path, "--output-format", "json", "agent.ipynb").output)
    assert (item["cell"], item["location"], item["fix"]) == (2, {"row": 2, "column": 18}, None)
    assert item["related"][0]["location"]["row"] == 3


def test_a_broken_notebook_is_cl003_and_fix_leaves_notebooks_alone(tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text("{not json")
    (tmp_path / "agent.ipynb").write_text(notebook(CELLS))
    before = (tmp_path / "agent.ipynb").read_text()
    result = run(tmp_path, "--output-format", "concise", "--fix", ".")
    assert "broken.ipynb:1:1: CL003 Not a valid notebook" in result.output
    assert (tmp_path / "agent.ipynb").read_text() == before
