"""The parsed data of YAML files, kept between runs: rule files are read at every start.

Composing the 34 shipped rule files with libyaml and converting the nodes (`cachelint.yamlfile`)
costs about 20 ms per run, and importing PyYAML about 17 ms more, for files that almost never
change. This module keeps what `load_yaml_file` returned for a file's exact bytes in one marshal
file next to the start-up fast path's store (`cachelint.fastpath.store_path`), so a warm start
neither imports PyYAML nor parses anything.

An entry is found by the file's bytes themselves (no hash that could collide), in a table tagged
with cachelint's version, the interpreter's and PyYAML's installation: different bytes, or another
parser, can never be served. Only successful loads are kept, so errors are found and reported by
the parser every time. The table is a cache only: a missing, corrupt or unwritable file is ignored.
"""

from __future__ import annotations

import marshal
import os
import sys
from _thread import get_ident
from functools import lru_cache
from importlib.machinery import PathFinder
from typing import Any

from cachelint import __version__
from cachelint.fastpath import read_bytes, store_path

TABLE_FORMAT = 1
# The table is read at every start: four times what the shipped rule files take (about 250 KB),
# room for a few projects' configurations and edited rule files; the oldest entries go first.
MAX_TABLE_BYTES = 1024 * 1024

# Loaded entries by table path, read once per process (a run loads the same rule files repeatedly).
_tables: dict[str, dict[bytes, bytes]] = {}


def table_path() -> str:
    """The table's file: a sibling of the fast path's store, per installation and version as that is."""
    # store_path() reads these two variables (HOME through expanduser); a run asks for every file.
    return _table_path(os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))


@lru_cache(maxsize=None)
def _table_path(xdg_cache_home: str | None, home: str | None) -> str:
    store = store_path()
    return os.path.join(os.path.dirname(store), "yaml-" + os.path.basename(store).removeprefix("fastpath-"))


def lookup(data: bytes) -> tuple[Any, dict[tuple[Any, ...], int]] | None:
    """The (data, lines) that loading a file of exactly these bytes returned before, or None.

    Each call builds new objects, so a caller that changes what it got cannot affect the next one.
    """
    blob = _entries(table_path()).get(data)
    if blob is None:
        return None
    try:
        value, lines = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):  # a damaged entry: parse the file again
        return None
    return (value, lines) if isinstance(lines, dict) else None


def remember(data: bytes, value: Any, lines: dict[tuple[Any, ...], int]) -> None:
    """Keep a successful load of `data` for later runs; never raises."""
    try:
        blob = marshal.dumps((value, lines))
    except ValueError:  # a value marshal cannot hold (a YAML timestamp is a datetime): not kept
        return
    path = table_path()
    entries = _entries(path)
    if entries.get(data) == blob or len(data) + len(blob) > MAX_TABLE_BYTES:
        return
    entries.pop(data, None)
    entries[data] = blob
    size = sum(len(key) + len(kept) for key, kept in entries.items())
    while size > MAX_TABLE_BYTES:
        oldest = next(iter(entries))
        size -= len(oldest) + len(entries.pop(oldest))
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temp = f"{path}.{os.getpid()}.{get_ident()}.tmp"
        try:
            with open(temp, "wb") as handle:
                marshal.dump({"tool": tool_identity(), "entries": entries}, handle)
            os.replace(temp, path)  # readers see the old table or the new one, never half of one
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    except OSError:
        pass


def tool_identity() -> tuple[object, ...]:
    """What the entries are valid for: this cachelint (its version, and the code that turns YAML
    nodes into data), this interpreter and this PyYAML installation."""
    spec = PathFinder.find_spec("yaml")
    converter = os.path.join(os.path.dirname(os.path.abspath(__file__)), "yamlfile.py")
    return (TABLE_FORMAT, __version__, sys.hexversion, _stat(converter), _stat(spec.origin if spec is not None else None))


def _stat(path: str | None) -> tuple[object, ...]:
    try:
        info = os.stat(path) if path else None
    except OSError:
        info = None
    return (path, info.st_size, info.st_mtime_ns) if info is not None else (path,)


def _entries(path: str) -> dict[bytes, bytes]:
    """The table at `path`, read on first use; empty if it is missing, corrupt or for another tool."""
    if path not in _tables:
        try:
            table = marshal.loads(read_bytes(path))
            entries = table["entries"] if isinstance(table, dict) and table.get("tool") == tool_identity() else {}
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            entries = {}
        if not (isinstance(entries, dict) and all(isinstance(k, bytes) and isinstance(v, bytes) for k, v in entries.items())):
            entries = {}
        _tables[path] = entries
    return _tables[path]
