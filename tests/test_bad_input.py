"""Bad files become CL001/CL003 diagnostics and the run goes on; nothing raises."""

from __future__ import annotations

import os
import sys

import pytest
from click.testing import CliRunner

from cachelint.cli import main
from tests.helpers import check

BUSTER = b'import anthropic, time\nclient = anthropic.Anthropic()\nclient.messages.create(model="m", max_tokens=1, system=str(time.time()), messages=[])\n'


def codes(data: bytes) -> list[tuple[int, str]]:
    from cachelint.catalogue import load_catalogue
    from cachelint.engine import check_source
    from cachelint.knowledge import load_knowledge

    cat = load_catalogue()
    result = check_source(data, "f.py", load_knowledge(), cat, frozenset(cat.by_code()))
    return [(d.location.row, d.code) for d in result.diagnostics]


def test_syntax_error_in_file_with_sink() -> None:
    [diag] = check("import anthropic\nclient.messages.create(messages=[\n")
    assert diag.code == "CL001" and "syntax error" in diag.message


def test_syntax_error_in_file_without_sink() -> None:
    assert codes(b"def broken(:\n    pass\n") == [(1, "CL001")]


def test_python2_syntax() -> None:
    assert codes(b'print "hello"\n') == [(1, "CL001")]


def test_newer_syntax_is_not_a_syntax_error() -> None:
    # libcst parses syntax the running interpreter may not; only a real error is reported.
    assert codes(b"match command:\n    case [x]:\n        pass\n") == []


def test_non_utf8_without_cookie() -> None:
    assert codes("x = 'caf\xe9'\n".encode("latin-1")) == [(1, "CL003")]


def test_non_utf8_with_cookie_is_fine() -> None:
    assert codes("# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n".encode("latin-1")) == []


def test_bad_coding_cookie() -> None:
    assert codes(b"# -*- coding: no-such-codec -*-\nx = 1\n") == [(1, "CL003")]


def test_nul_bytes() -> None:
    assert codes(b"x = 1\n\x00\x01\x02") == [(2, "CL003")]


def test_bom_and_crlf_are_fine() -> None:
    assert codes(b"\xef\xbb\xbf" + BUSTER.replace(b"\n", b"\r\n")) == [(3, "CL101")]


def test_empty_file() -> None:
    assert codes(b"") == []


def test_run_goes_on_past_bad_files(tmp_path) -> None:
    (tmp_path / "a_bad.py").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "b_syntax.py").write_text("def f(:\n")
    (tmp_path / "c_buster.py").write_bytes(BUSTER)
    result = CliRunner().invoke(main, ["check", "--output-format", "concise", "--no-cache", str(tmp_path)])
    assert result.exit_code == 1
    assert "a_bad.py:1:1: CL003" in result.output
    assert "b_syntax.py:1:" in result.output and "CL001" in result.output
    assert "c_buster.py:3:" in result.output and "CL101" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_loop_and_broken_link(tmp_path) -> None:
    os.symlink(tmp_path / "loop_b.py", tmp_path / "loop_a.py")
    os.symlink(tmp_path / "loop_a.py", tmp_path / "loop_b.py")
    os.symlink(tmp_path / "missing.py", tmp_path / "broken.py")
    os.symlink(tmp_path, tmp_path / "self_dir")
    result = CliRunner().invoke(main, ["check", "--output-format", "concise", "--no-cache", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "loop_a.py:1:1: CL003 Symlink loop" in result.output
    assert "broken.py:1:1: CL003 Broken symlink" in result.output
    assert "self_dir" not in result.output


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root can read any file")
def test_unreadable_file(tmp_path) -> None:
    target = tmp_path / "secret.py"
    target.write_bytes(BUSTER)
    target.chmod(0)
    result = CliRunner().invoke(main, ["check", "--output-format", "concise", "--no-cache", str(tmp_path)])
    assert "secret.py:1:1: CL003" in result.output


def test_unreadable_file_via_read_error(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    target = tmp_path / "vanishing.py"
    target.write_bytes(BUSTER)
    real = Path.read_bytes

    def failing(self):
        if self.name == "vanishing.py":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", failing)
    result = CliRunner().invoke(main, ["check", "--output-format", "concise", "--no-cache", str(tmp_path)])
    assert result.exit_code == 1
    assert "vanishing.py:1:1: CL003 Cannot read file: Permission denied" in result.output


def test_internal_error_in_one_file_does_not_stop_the_run(tmp_path, monkeypatch) -> None:
    import cachelint.runner as runner

    (tmp_path / "a.py").write_bytes(BUSTER)
    (tmp_path / "b.py").write_bytes(BUSTER)
    real = runner.check_source

    def flaky(data, filename, *args):
        if filename.endswith("a.py"):
            raise RuntimeError("boom")
        return real(data, filename, *args)

    monkeypatch.setattr(runner, "check_source", flaky)
    result = CliRunner().invoke(main, ["check", "--output-format", "concise", "--no-cache", str(tmp_path)])
    assert result.exit_code == 2
    assert "b.py:3:" in result.stdout
    assert "a.py: internal error: RuntimeError: boom" in result.stderr


def test_internal_error_while_summarising_an_imported_module_does_not_stop_the_run(tmp_path, monkeypatch) -> None:
    import cachelint.project as project

    (tmp_path / "prompts.py").write_text("import time\nSYSTEM = 'x'\n")
    (tmp_path / "agent.py").write_bytes(b"from prompts import SYSTEM\n" + BUSTER)
    real = project.summarize_source

    def flaky(data, filename, *args):
        if filename.endswith("prompts.py"):
            raise RuntimeError("summary bug")
        return real(data, filename, *args)

    monkeypatch.setattr(project, "summarize_source", flaky)
    result = CliRunner().invoke(main, ["check", "--output-format", "concise", "--no-cache", str(tmp_path)])
    assert result.exit_code == 2
    assert "agent.py:4:" in result.stdout  # the importer is still analysed, without that summary
    assert result.stderr.count("prompts.py: internal error: RuntimeError: summary bug") == 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{call: asyncio.to_thread}", "missing required key `callable`"),
        ("{call: asyncio.to_thread, method: submit, callable: 0}", "needs exactly one of `call` or `method`"),
        ("{call: asyncio.to_thread, callable: first}", "`callable` must be the position (0, 1, ...) of the callable argument"),
    ],
)
def test_a_bad_forwarder_in_the_rule_files_names_file_line_and_fix(tmp_path, monkeypatch, entry: str, message: str) -> None:
    import shutil

    import cachelint.knowledge
    from cachelint.knowledge import load_knowledge
    from cachelint.rulefiles import rules_dir
    from cachelint.yamlfile import DataError

    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    sinks = rules / "sinks.yaml"
    text = sinks.read_text(encoding="utf-8")
    broken = text.replace("  - {call: asyncio.to_thread, callable: 0}\n", f"  - {entry}\n", 1)
    assert broken != text
    sinks.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(cachelint.knowledge, "rules_dir", lambda: rules)
    with pytest.raises(DataError) as error:
        load_knowledge()
    line = broken.splitlines().index(f"  - {entry}") + 1
    assert str(error.value) == f"{sinks}:{line}: forwarders[0]: {message}"
