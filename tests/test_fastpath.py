"""The start-up fast path answers only what the full command line would answer, byte for byte.

Every test runs the fast path (`cachelint.fastpath.answer`) and, whenever it answers, the full
command line on the same arguments from the same folder, and requires the same stdout, stderr and
exit code. A file the full path reports on can therefore never be answered "clean": the answer
would differ. When the fast path declines it prints nothing, and the full path runs unchanged.
"""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import hypothesmith
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cachelint.cli import main
from cachelint.fastpath import answer, load_store, store_path
from cachelint.fastpath_store import engine_arguments

REPO = Path(__file__).resolve().parent.parent
CORPORA = sorted(p for root in ("tests/eval", "examples") for p in (REPO / root).rglob("*.py"))
CLEAN = "import os\n\n\ndef greet(name):\n    return f'hello {name} from {os.getcwd()}'\n"


@pytest.fixture(autouse=True)
def own_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test records and reads its own store."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
    monkeypatch.delenv("CACHELINT_CACHE_DIR", raising=False)


def full(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def fast(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str] | None:
    capsys.readouterr()
    code = answer(args)
    out, err = capsys.readouterr()
    if code is None:
        assert (out, err) == ("", ""), "the fast path printed something and then declined"
        return None
    return code, out, err


def compare(args: list[str], capsys: pytest.CaptureFixture[str]) -> bool:
    """Run both paths (the full one first, which records the store); True when the fast path answered."""
    expected = full(args)
    got = fast(args, capsys)
    if got is not None:
        assert got == expected, args
    return got is not None


def test_answers_like_the_full_path_on_the_corpus_files(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    full(["check", "--no-cache", str(CORPORA[0])])  # records the store for this folder
    answered = []
    for path in CORPORA:
        args = ["check", "--no-cache", str(path.relative_to(REPO))]
        got = fast(args, capsys)
        if got is not None:
            assert got == full(args), path
            answered.append(args[-1])
    # The corpora hold files without sinks too; the fast path must answer for them.
    assert answered and len(answered) < len(CORPORA)
    # All at once, as pre-commit passes them; and with the project's exclusions in force.
    assert compare(["check", "--no-cache", *answered], capsys)
    assert compare(["check", "--force-exclude", "--no-cache", "--output-format", "concise", *answered], capsys)


# Pieces of files, chosen to sit on both sides of every condition the fast path tests: sink
# spellings and near misses, suppression comments, coding cookies, syntax only some passes refuse.
FRAGMENTS = [
    "import os",
    "x = 1",
    "def f(a):\n    return a",
    "client.messages.create(model='m', system=str(time.time()), messages=[])",
    "client.messages . create  (messages=[])",
    "messages = create = 1",
    "# messages.create( in a comment",
    "data = {'role': 'system', 'content': 'hi'}",
    "data = {'role': 'user', 'content': 'hi'}",
    "tool = {'name': 'n', 'description': 'd', 'input_schema': {}}",
    "headers = {'User-Agent': 'x'}",
    "cfg = {'cache_control': {'type': 'ephemeral'}}",
    "@agent.instructions\ndef g():\n    return 'x'",
    "x = 1  # noqa: CL101",
    "x = 1  # cachelint: ignore[CL101]",
    "# -*- coding: latin-1 -*-",
    "return 1",
    "nonlocal x",
    "def f(:",
    "s = 'caf\u00e9'",
    "import time\nNOW = time.time()",
]


GENERATED = given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=6),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\x00"]),
    st.one_of(st.just(""), hypothesmith.from_grammar()),
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@GENERATED
def test_never_answers_differently_on_generated_files(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], pieces: list[str], prefix: bytes, program: str) -> None:
    compare_generated(tmp_path_factory, capsys, pieces, prefix, program)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@GENERATED
def test_never_answers_differently_on_many_generated_files(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], pieces: list[str], prefix: bytes, program: str) -> None:
    compare_generated(tmp_path_factory, capsys, pieces, prefix, program)


def compare_generated(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], pieces: list[str], prefix: bytes, program: str) -> None:
    folder = tmp_path_factory.mktemp("gen")
    target = folder / "gen.py"
    target.write_bytes(prefix + "\n".join([*pieces, program]).encode("utf-8", "surrogatepass"))
    old = os.getcwd()
    os.chdir(folder)
    try:
        compare(["check", "--no-cache", "gen.py"], capsys)
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree with a configuration (an exclusion and a user sink) and a .gitignore."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n\n[tool.cachelint]\nextend-exclude = ["generated"]\n'
        'extend-sinks = [{id = "acme", methods = ["llm.dispatch_prompt"], arguments = [{name = "system", segment = "system"}]}]\n'
    )
    (tmp_path / ".gitignore").write_text("*.log\n__pycache__/\nsrc/scratch_*.py\n")
    for name, text in {
        "src/app.py": CLEAN,
        "src/other.py": "VALUE = 2\n",
        "src/uses_acme.py": "import time\nfrom acme import llm\nllm.dispatch_prompt(system=f'{time.time()}')\n",
        "src/scratch_1.py": CLEAN,
        "generated/made.py": CLEAN,
        "src/stub.pyi": "x: int\n",
        "src/.env": "DISABLE_PROMPT_CACHING=1\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_answers_for_clean_files_and_declines_for_the_rest(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare(["check", "src/app.py"], capsys)
    assert compare(["check", "--force-exclude", "--no-cache", "src/app.py", "src/other.py", "src/app.py"], capsys)
    assert compare(["check", "--no-cache", "src/app.py", "./src/app.py"], capsys)
    assert compare(["check", "--no-cache", "--output-format=concise", "-j2", "--exit-zero", "--fix", "--statistics", "src/app.py"], capsys)
    assert compare(["check", "--no-cache", "--config", "pyproject.toml", "src/app.py"], capsys)
    # A user's sink is in the prefilter: the full path reports this file.
    assert not compare(["check", "--no-cache", "src/uses_acme.py"], capsys)
    assert not compare(["check", "--no-cache", "src/app.py", "src/uses_acme.py"], capsys)
    # Not Python files, a folder, a missing file, options the fast path leaves alone.
    for args in (["src/stub.pyi"], ["src/.env"], ["src"], ["missing.py"], ["--select", "CL1", "src/app.py"], ["--output-format", "json", "src/app.py"], ["-o", "out.txt", "src/app.py"], ["--", "src/app.py"]):
        assert not compare(["check", "--no-cache", *args], capsys), args


def test_exclusions_match_discovery(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Excluded by the configuration: nothing is checked, and the fast path knows it. Both paths say
    # so on stderr, as Ruff does, so that an excluded path is not mistaken for a clean one.
    assert compare(["check", "--force-exclude", "--no-cache", "generated/made.py"], capsys)
    code, out, err = full(["check", "--force-exclude", "--no-cache", "generated/made.py"])
    assert (code, out, err) == (0, "All checks passed! (0 files checked)\n", "warning: No Python files found under the given path(s)\n")
    assert compare(["check", "--force-exclude", "--no-cache", str(project / "generated" / "made.py"), "src/app.py"], capsys)
    # Without --force-exclude a named file is checked anyway.
    assert compare(["check", "--no-cache", "generated/made.py"], capsys)
    # A .gitignore pattern that matches is pathspec's to judge: the fast path declines.
    assert not compare(["check", "--force-exclude", "--no-cache", "src/scratch_1.py"], capsys)
    assert compare(["check", "--no-cache", "src/scratch_1.py"], capsys)


def test_a_changed_configuration_is_read_again_by_the_full_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "--no-cache", "src/app.py"]
    assert compare(args, capsys)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'output-format = "json"\n')
    assert fast(args, capsys) is None
    # Recorded again by the full run, but the configured format is not one the fast path prints.
    assert not compare(args, capsys)
    pyproject.write_text(pyproject.read_text().replace('output-format = "json"\n', 'output-format = "concise"\n'))
    assert fast(args, capsys) is None
    assert compare(args, capsys)
    pyproject.write_text("[tool.cachelint]\nselect = [\n")  # broken: exit 2 from the full path
    assert not compare(args, capsys)
    assert full(args)[0] == 2


def test_the_result_cache_folder_must_be_writable(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare(["check", "src/app.py"], capsys)
    assert compare(["check", "--cache-dir", str(project / "new" / "cache"), "src/app.py"], capsys)
    (project / "a-file").write_text("")
    assert not compare(["check", "--cache-dir", str(project / "a-file"), "src/app.py"], capsys)


def test_the_store_is_ignored_when_anything_it_came_from_changed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full(["check", "--no-cache", "src/app.py"])
    path = Path(store_path())
    store = load_store(str(path))
    assert store is not None

    def tampered(change) -> dict | None:
        changed = marshal.loads(path.read_bytes())
        change(changed)
        path.with_suffix(".tampered").write_bytes(marshal.dumps(changed))
        return load_store(str(path.with_suffix(".tampered")))

    assert tampered(lambda s: None) is not None
    files = store["tool_files"]
    assert files[0][0].endswith(".py") and files[-1][0].endswith(".yaml")  # modules and rule files
    for i in (0, len(files) - 1):
        path_, size, mtime = files[i]
        assert tampered(lambda s: s.update(tool_files=(*files[:i], (path_, size + 1, mtime), *files[i + 1 :]))) is None
        assert tampered(lambda s: s.update(tool_files=(*files[:i], (path_, size, mtime + 1), *files[i + 1 :]))) is None
    assert tampered(lambda s: s.update(tool=("another", "version"))) is None
    path.write_bytes(b"\x00garbage")
    assert load_store(str(path)) is None
    assert fast(["check", "--no-cache", "src/app.py"], capsys) is None


def test_a_clean_run_imports_nothing_but_built_in_modules(project: Path) -> None:
    """Speed is what the fast path is for: `re`, `typing`, click or YAML would each cost its budget."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    full(["check", "--no-cache", "src/app.py"])
    probe = (
        "import sys; before = set(sys.modules)\n"
        "from cachelint.fastpath import answer\n"
        "code = answer(['check', '--no-cache', 'src/app.py'])\n"
        "imported = sorted(set(sys.modules) - before)\n"
        "import json; print(json.dumps([code, imported]), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    code, imported = json.loads(proc.stderr.splitlines()[-1])
    assert code == 0, proc.stderr
    assert set(imported) <= {"cachelint", "cachelint.fastpath", "cachelint.syntax", "_sre", "_symtable", "__future__"}


def test_the_console_script_and_python_m_go_through_the_fast_path(project: Path) -> None:
    scripts = re.search(r'\[project\.scripts\]\n(?:#.*\n)*cachelint = "([^"]+)"', (REPO / "pyproject.toml").read_text())
    assert scripts and scripts.group(1) == "cachelint.fastpath:main"
    assert "cachelint.fastpath import main" in (REPO / "cachelint" / "__main__.py").read_text()

    def run(*args: str, file: str = "src/app.py") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args, "check", "--no-cache", file], cwd=project, capture_output=True, text=True, timeout=120)

    first = run("-m", "cachelint")  # the full path, which records the store
    again = run("-X", "importtime", "-m", "cachelint")
    script = run(str(Path(sys.executable).with_name("cachelint")))
    assert first.returncode == again.returncode == script.returncode == 0
    assert first.stdout == again.stdout == script.stdout == "All checks passed! (1 file checked)\n"
    assert "| cachelint.fastpath" in again.stderr and "| click" not in again.stderr
    # A file with a finding goes on to the full path from both entry points.
    for reported in (run("-m", "cachelint", file="src/uses_acme.py"), run(str(Path(sys.executable).with_name("cachelint")), file="src/uses_acme.py")):
        assert reported.returncode == 1 and "src/uses_acme.py:3:" in reported.stdout, reported.stderr


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (re.compile(rb"\b(?:messages|create)\b"), b"x messages.create( y"),
        (re.compile(r"(?P<word>\w+)\s*=\s*(\d+)", re.M | re.I), "A = 1\nb=22"),
        (re.compile(r"^(?:.+/)?build(?P<ps_d>/).*$"), "src/build/x.py"),
        (re.compile(rb"\A(?=[\s\S]*[\"']role[\"']\s*:)"), b"{'role': 1}"),
    ],
)
def test_recorded_patterns_behave_like_the_originals(pattern: re.Pattern, text: str | bytes) -> None:
    import _sre

    rebuilt = _sre.compile(*marshal.loads(marshal.dumps(engine_arguments(pattern))))
    assert rebuilt.findall(text) == pattern.findall(text)
    assert [m.span() for m in rebuilt.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_names_shared_with_the_full_path_agree() -> None:
    from cachelint import cache, config, fastpath

    assert fastpath.CONFIG_NAMES == config.CONFIG_NAMES
    assert fastpath.CACHE_DIR_NAME == cache.CACHE_DIR_NAME
    assert set(fastpath.TEXT_FORMATS) <= set(config.OUTPUT_FORMATS)
