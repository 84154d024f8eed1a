"""The YAML cache (cachelint.yamlcache): served for identical bytes only, never for errors, never fatal."""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path

import pytest

from cachelint import yamlcache, yamlfile
from cachelint.catalogue import load_catalogue
from cachelint.knowledge import load_knowledge
from cachelint.rulefiles import rules_dir
from cachelint.yamlfile import DataError, load_yaml_file, load_yaml_text

RULE = "code: CL999\nsummary: a rule\nflags: [true, no, 3, 4.5, ~]\ndocs:\n  what: |\n    two\n    lines\n"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh cache folder and no table in memory, as in a new process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
    monkeypatch.setattr(yamlcache, "_tables", {})


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the table read into memory: the next load reads the file again."""
    monkeypatch.setattr(yamlcache, "_tables", {})


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str, filename: str) -> yamlfile.Doc:
        raise AssertionError(f"{filename} was parsed")

    monkeypatch.setattr(yamlfile, "load_yaml_text", fail)


def test_a_second_run_is_served_the_same_doc_without_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE)
    first = load_yaml_file(path)
    assert os.path.isfile(yamlcache.table_path())
    new_process(monkeypatch)
    no_parsing(monkeypatch)
    again = load_yaml_file(path)
    assert again == first
    assert again.filename == str(path)
    assert [type(v) for v in again.data["flags"]] == [bool, bool, int, float, type(None)]
    assert again.line(("docs", "what")) == first.line(("docs", "what")) == 5


def test_every_shipped_rule_file_comes_back_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(rules_dir().rglob("*.yaml"))
    parsed = [load_yaml_file(path) for path in files]
    new_process(monkeypatch)
    assert [load_yaml_file(path) for path in files] == parsed
    # What every `cachelint check` reads is served without PyYAML (providers.yaml has dates: parsed).
    new_process(monkeypatch)
    no_parsing(monkeypatch)
    load_catalogue.__wrapped__()
    load_knowledge()


def test_served_for_the_same_bytes_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE)
    load_yaml_file(path)
    path.write_text(RULE.replace("CL999", "CL998"))
    assert load_yaml_file(path).data["code"] == "CL998"
    # Another file with the same bytes gets the same data under its own name.
    other = tmp_path / "other.yaml"
    other.write_text(RULE)
    new_process(monkeypatch)
    no_parsing(monkeypatch)
    doc = load_yaml_file(other)
    assert (doc.filename, doc.data["code"]) == (str(other), "CL999")


def test_what_a_caller_changes_does_not_reach_the_next_load(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE)
    load_yaml_file(path)
    doc = load_yaml_file(path)
    doc.data["flags"].append("changed")
    doc.lines.clear()
    assert load_yaml_file(path) == load_yaml_text(RULE, str(path))


def test_line_endings_are_read_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rule.yaml"
    path.write_bytes(RULE.replace("\n", "\r\n").encode())
    expected = load_yaml_text(path.read_text(encoding="utf-8"), str(path))
    assert load_yaml_file(path) == expected
    new_process(monkeypatch)
    assert load_yaml_file(path) == expected


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: [1, 2\n", 3, "invalid YAML"),
        ("a: 1\nb: &x [1]\nc: *x\n", 2, "anchors and aliases"),
        ("a: 1\n? [x]\n: 2\n", 2, "plain scalars"),
    ],
)
def test_errors_are_reported_with_file_and_line_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    for _ in range(2):
        with pytest.raises(DataError) as caught:
            load_yaml_file(path)
        assert (caught.value.filename, caught.value.line) == (str(path), line)
        assert message in caught.value.message
        new_process(monkeypatch)
    assert not os.path.exists(yamlcache.table_path())


def test_invalid_utf8_is_still_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(DataError, match="not valid UTF-8"):
        load_yaml_file(path)


def test_values_marshal_cannot_hold_are_parsed_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text("checked: 2025-01-31\n")
    first = load_yaml_file(path)
    new_process(monkeypatch)
    assert load_yaml_file(path) == first
    assert str(first.data["checked"]) == "2025-01-31"


@pytest.mark.parametrize("damage", ["empty", "garbage", "cut short", "not a table"])
def test_a_corrupt_table_is_ignored_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE)
    expected = load_yaml_file(path)
    table = Path(yamlcache.table_path())
    data = table.read_bytes()
    damaged = {"empty": b"", "garbage": b"\xe3not marshal", "cut short": data[: len(data) // 2], "not a table": marshal.dumps([1, 2])}
    table.write_bytes(damaged[damage])
    new_process(monkeypatch)
    assert load_yaml_file(path) == expected
    new_process(monkeypatch)
    no_parsing(monkeypatch)
    assert load_yaml_file(path) == expected


def test_a_table_of_another_tool_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE)
    load_yaml_file(path)
    new_process(monkeypatch)
    monkeypatch.setattr(yamlcache, "__version__", "0.0.0-other")
    parsed: list[str] = []
    real = yamlfile.load_yaml_text
    monkeypatch.setattr(yamlfile, "load_yaml_text", lambda text, filename: parsed.append(filename) or real(text, filename))
    load_yaml_file(path)
    assert parsed == [str(path)]


def test_the_oldest_entries_go_when_the_table_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlcache, "MAX_TABLE_BYTES", 2 * (len(RULE) + 300))
    paths = []
    for n in range(4):
        paths.append(tmp_path / f"rule{n}.yaml")
        paths[-1].write_text(RULE.replace("CL999", f"CL90{n}"))
        load_yaml_file(paths[-1])
    new_process(monkeypatch)
    assert [path.read_bytes() for path in paths[-2:]] == list(yamlcache._entries(yamlcache.table_path()))


def test_an_unwritable_cache_folder_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = tmp_path / "rule.yaml"
    path.write_text(RULE)
    assert load_yaml_file(path).data["code"] == "CL999"
    assert load_yaml_file(path).data["code"] == "CL999"


def test_a_warm_start_does_not_import_yaml(tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "a.py").write_text("x = 1\n")
    code = "import sys; from cachelint.cli import main\ntry:\n    main(['check', '--no-cache', '.'])\nexcept SystemExit:\n    pass\nprint('yaml' in sys.modules)"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    runs = [subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, check=True).stdout.split()[-1] for _ in range(2)]
    assert runs == ["True", "False"]
