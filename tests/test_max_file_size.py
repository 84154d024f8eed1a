"""`max-file-size`: a file that would be analysed and is larger is reported (CL001), not parsed."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cachelint.catalogue import load_catalogue
from cachelint.cli import main
from cachelint.config import DEFAULT_MAX_FILE_SIZE
from cachelint.engine import check_source
from cachelint.knowledge import load_knowledge

SENDER = """\
import anthropic
from datetime import datetime

client = anthropic.Anthropic()
client.messages.create(model="claude-sonnet-4-5", max_tokens=5, system=f"now {datetime.now()}", messages=[])
"""


def padded(text: str, size: int) -> str:
    """`text` followed by comment lines up to `size` bytes."""
    filler = "# " + "x" * 77 + "\n"
    return text + filler * max(0, (size - len(text)) // len(filler) + 1)


def codes(data: bytes, max_size: int | None) -> list[str]:
    catalogue = load_catalogue()
    result = check_source(data, "big.py", load_knowledge(), catalogue, frozenset(catalogue.by_code()), max_size=max_size)
    return [d.code for d in result.diagnostics]


def test_a_sender_over_the_limit_is_cl001_and_not_analysed() -> None:
    data = padded(SENDER, 4000).encode()
    assert codes(data, max_size=3000) == ["CL001"]
    assert codes(data, max_size=len(data)) == ["CL101"]
    assert codes(data, max_size=None) == ["CL101"]


def test_a_large_file_without_a_sink_is_never_reported_for_its_size() -> None:
    data = padded("x = 1\n", 4000).encode()
    assert codes(data, max_size=100) == []


def run(root: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "--output-format", "json", "--cache-dir", str(root / ".cache"), *args, str(root)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_the_limit_comes_from_the_configuration_and_keys_the_cache(tmp_path: Path) -> None:
    (tmp_path / "agent.py").write_text(padded(SENDER, 3000))
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\nmax-file-size = 2000\n")
    found = run(tmp_path)
    assert [d["code"] for d in found] == ["CL001"]
    assert "more than `max-file-size` (2 KB)" in found[0]["message"]
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\nmax-file-size = 100_000\n")
    assert [d["code"] for d in run(tmp_path)] == ["CL101"]  # not the cached CL001


def test_the_default_limit_lets_ordinary_modules_through(tmp_path: Path) -> None:
    (tmp_path / "agent.py").write_text(padded(SENDER, DEFAULT_MAX_FILE_SIZE - 1000))
    assert [d["code"] for d in run(tmp_path)] == ["CL101"]


def test_a_bad_limit_names_the_file_the_line_and_what_is_allowed(tmp_path: Path) -> None:
    for bad in ('"2MB"', "0", "-5", "true", "1.5"):
        (tmp_path / "pyproject.toml").write_text(f"[tool.cachelint]\nselect = ['ALL']\nmax-file-size = {bad}\n")
        result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path)])
        assert result.exit_code == 2, bad
        assert f"{tmp_path / 'pyproject.toml'}:3: `max-file-size` must be a positive number of bytes" in result.output, result.output


def test_an_imported_module_over_the_limit_is_not_summarised(tmp_path: Path) -> None:
    # The sender imports a clock helper. Over the limit, the helper is not parsed for a summary, so
    # the sender is checked without it: no crash, and (a known limit) no finding through it. The
    # helper has no sink of its own, so it is not analysed and not reported for its size either.
    (tmp_path / "helpers.py").write_text(padded("from datetime import datetime\n\ndef stamp():\n    return datetime.now().isoformat()\n", 3000))
    (tmp_path / "agent.py").write_text(
        "import anthropic\nfrom helpers import stamp\n\nclient = anthropic.Anthropic()\n"
        "client.messages.create(model='claude-sonnet-4-5', max_tokens=5, system=f'now {stamp()}', messages=[])\n"
    )
    assert sorted((d["filename"].rsplit("/", 1)[-1], d["code"]) for d in run(tmp_path)) == [("helpers.py", "CL101")]
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\nmax-file-size = 1000\n")
    assert sorted((d["filename"].rsplit("/", 1)[-1], d["code"]) for d in run(tmp_path)) == []
