"""Record what the start-up fast path (`cachelint.fastpath`) needs, from the full path's own code.

After the full path has loaded the settings of a run, `record` brings the store up to date for the
same current directory and files: the settings of every configuration file the fast path will
meet (loaded again here, with the file's bytes read before and after, so a file edited meanwhile
is not recorded with settings of other bytes), the verdict of `find_config_file` on each
pyproject.toml on the way, the compiled prefilter of each set of settings, and the patterns of
each .gitignore above the files. Every value is computed by the function the full path uses; this
module only serializes them. The store is one marshal file, replaced atomically; an entry lost to
a concurrent writer is recorded again by the next full run.
"""

from __future__ import annotations

import marshal
import os
import re
from pathlib import Path
from typing import Any

from cachelint.catalogue import Catalogue
from cachelint.config import CliOverrides, Settings, SettingsResolver, _compiled_globs, find_config_file
from cachelint.discovery import GitIgnore
from cachelint.engine.prefilter import matcher
from cachelint.fastpath import load_store, read_bytes, store_path, tool_identity
from cachelint.rulefiles import rules_dir

PACKAGE = Path(__file__).resolve().parent
# Enough for many projects and checkouts, small enough to read at every start; the oldest go first.
MAX_ENTRIES = 64
# A compiled prefilter is about 40 KB: only so many different sets of user sinks are kept.
MAX_PREFILTERS = 4


def record(catalogue: Catalogue, paths: list[str], config_file: str | None) -> None:
    """Update the store for `cachelint check PATHS` run from the current directory; never raises."""
    try:
        _Recorder(catalogue, config_file).run(paths)
    except Exception:  # noqa: BLE001 - the store only saves time; a run must not fail over it
        pass


class _Recorder:
    def __init__(self, catalogue: Catalogue, config_file: str | None) -> None:
        self.catalogue = catalogue
        self.config_file = config_file
        self.path = store_path()
        self.store = load_store(self.path) or _empty_store()
        self.changed = False

    def run(self, paths: list[str]) -> None:
        files = [os.path.abspath(p) for p in paths if not os.path.isdir(p)]
        folders = dict.fromkeys(os.path.dirname(f) for f in files)
        for directory in dict.fromkeys([os.getcwd(), *folders]):
            self.settings_at(directory)
        for directory in folders:
            self.gitignores_above(directory)
        if self.changed:
            self.write()

    def settings_at(self, directory: str) -> None:
        """Record the settings that apply in `directory`, and the pyproject.toml verdicts on the way there."""
        if self.config_file is not None:
            self.settings(os.path.realpath(self.config_file))
            return
        current = Path(os.path.realpath(directory))
        while True:
            pyproject = current / "pyproject.toml"
            before = _maybe_bytes(pyproject)
            found = find_config_file(current)
            if before is not None and before == _maybe_bytes(pyproject) and (found is None or found == pyproject):
                self.put("pyprojects", before, found is not None)
            if found is not None:
                self.settings(os.path.realpath(found))
                return
            if current.parent == current:
                self.settings("")
                return
            current = current.parent

    def settings(self, config: str) -> None:
        """Record one configuration file's settings ("" for the defaults) unless recorded for these bytes."""
        entry = self.store["settings"].get(config)
        before = read_bytes(config) if config else None
        if entry is not None and entry[0] == before:
            return
        resolver = SettingsResolver(self.catalogue, CliOverrides(), Path(config) if config else None)
        settings = resolver.for_path(Path.cwd()) if config else resolver.default
        if config and read_bytes(config) != before:
            return
        self.put("settings", config, (before, self.settings_record(settings, root=str(settings.root) if config else None)))

    def settings_record(self, settings: Settings, root: str | None) -> tuple[Any, ...]:
        """What cachelint.fastpath reads of a Settings (its ROOT ... PREFILTER fields)."""
        excludes = tuple(engine_arguments(p) if p is not None else None for p in _compiled_globs(settings.exclude))
        vocabulary, spellings = matcher(settings.knowledge)
        prefilter = (engine_arguments(vocabulary), tuple((frozenset(s.words), engine_arguments(s.pattern)) for s in spellings))
        return (
            root,
            settings.respect_gitignore,
            settings.force_exclude,
            settings.output_format,
            settings.cache_dir,
            self.shared("excludes", excludes),
            self.shared("prefilters", prefilter),
        )

    def shared(self, table: str, value: Any) -> str:
        """Store a bulky value once for every settings record that has it (most have the defaults)."""
        import hashlib  # 3 ms to import: only runs that record new settings need it

        key = hashlib.sha256(marshal.dumps(value)).hexdigest()[:32]
        self.store[table].setdefault(key, value)
        return key

    def gitignores_above(self, folder: str) -> None:
        """Record the patterns of each .gitignore from a named file's folder up to its work tree's root."""
        directory = Path(folder)
        repo = GitIgnore()._repo_root(directory)
        while repo is not None:
            gitignore = directory / ".gitignore"
            before = _maybe_bytes(gitignore)
            if before is not None and before not in self.store["gitignores"]:
                spec = GitIgnore()._spec(directory)
                patterns = [p for p in spec.patterns if p.include is not None] if spec is not None else None
                if patterns is not None and all(isinstance(p.regex, re.Pattern) for p in patterns) and before == _maybe_bytes(gitignore):
                    self.put("gitignores", before, tuple(engine_arguments(p.regex) for p in patterns))
            if directory == repo or directory.parent == directory:
                return
            directory = directory.parent

    def put(self, table: str, key: Any, value: Any) -> None:
        entries = self.store[table]
        if entries.get(key) == value:
            return
        entries.pop(key, None)
        entries[key] = value
        while len(entries) > MAX_ENTRIES:
            del entries[next(iter(entries))]
        self.changed = True

    def write(self) -> None:
        settings = self.store["settings"]
        while len({record[-1] for _, record in settings.values()}) > MAX_PREFILTERS:
            del settings[next(iter(settings))]
        # Shared values no settings record refers to any more are dropped.
        for table, field in (("excludes", -2), ("prefilters", -1)):
            used = {record[field] for _, record in settings.values()}
            self.store[table] = {k: v for k, v in self.store[table].items() if k in used}
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        temp = f"{self.path}.{os.getpid()}.tmp"
        try:
            with open(temp, "wb") as handle:
                marshal.dump(self.store, handle)
            os.replace(temp, self.path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)


def _empty_store() -> dict[str, Any]:
    """A store for this installation: the identity, and the files it is valid for (`tool_files`)."""
    return {
        "tool": tool_identity(),
        "tool_files": tool_files(),
        "settings": {},
        "pyprojects": {},
        "gitignores": {},
        "excludes": {},
        "prefilters": {},
    }


def tool_files() -> tuple[tuple[str, int, int], ...]:
    """cachelint's modules (the runtime companion aside) and rule files: path, size, modification
    time. What the start-up store and a replayed run's record are valid for (`fastpath.files_unchanged`)."""
    code = sorted(p for p in PACKAGE.rglob("*.py") if "runtime" not in p.relative_to(PACKAGE).parts)
    rules = sorted(rules_dir().rglob("*.yaml"))
    return tuple((str(p), (info := p.stat()).st_size, info.st_mtime_ns) for p in (*code, *rules))


def _maybe_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def engine_arguments(pattern: re.Pattern) -> tuple[Any, ...]:
    """The arguments `re.compile` passes to the C engine (`_sre.compile`) for `pattern`.

    This repeats the last step of the standard library's `re._compiler.compile` (`sre_compile`
    before Python 3.11), which is private; the result is checked against `pattern` itself, and
    the store is tagged with the engine's version (`_sre.MAGIC`).
    """
    import _sre

    try:
        from re import _compiler, _parser
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_compile as _compiler  # type: ignore[no-redef]
        import sre_parse as _parser  # type: ignore[no-redef]

    parsed = _parser.parse(pattern.pattern, pattern.flags)
    code = [int(op) for op in _compiler._code(parsed, pattern.flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    arguments = (pattern.pattern, pattern.flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    rebuilt = _sre.compile(*arguments)
    if (rebuilt.pattern, rebuilt.flags, rebuilt.groups, dict(rebuilt.groupindex)) != (pattern.pattern, pattern.flags, pattern.groups, dict(pattern.groupindex)):
        raise ValueError(f"cannot rebuild the pattern {pattern.pattern!r}")
    return arguments
