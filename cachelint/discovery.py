"""Which files to check: walk the given paths, honour exclusions and `.gitignore`, never loop.

Besides Python files and notebooks, the walk picks up the config files where prompt caching is
switched off (`.env` files, Claude Code settings, compose files, GitHub workflows; see
`cachelint.checks.configfiles`), under the same exclusions, when a rule that reads them is enabled.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cachelint.checks.configfiles import CONFIG_RULES, config_kind
from cachelint.config import Settings, SettingsResolver

if TYPE_CHECKING:
    import pathspec

PYTHON_SUFFIXES = (".py", ".pyi")
# Jupyter notebooks are checked cell by cell (see cachelint.notebooks).
CHECKED_SUFFIXES = (*PYTHON_SUFFIXES, ".ipynb")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to check, with the name to show for it and its settings; `problem` if unreadable.

    A run holds one per file for its whole length, so it keeps the path as a string (a `Path`
    with its cached parts is about 500 bytes more) and has slots."""

    file: str
    display: str
    settings: Settings
    problem: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.file)


class MissingPathError(Exception):
    """A path given on the command line does not exist (a usage error, exit 2)."""


class GitIgnore:
    """`.gitignore` files of a git work tree, read once per directory."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}
        self._repo_roots: dict[Path, Path | None] = {}

    def ignored(self, path: Path, is_dir: bool) -> bool:
        repo = self._repo_root(path.parent)
        if repo is None:
            return False
        # Deeper .gitignore files override shallower ones, as git does.
        directory = path.parent
        while True:
            spec = self._spec(directory)
            if spec is not None:
                rel = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
                result = spec.check_file(rel)
                if result.include is not None:
                    return bool(result.include)
            if directory == repo or directory.parent == directory:
                return False
            directory = directory.parent

    def _spec(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._specs:
            spec = None
            try:
                lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
                import pathspec  # 10 ms to import: only a work tree with a .gitignore needs it

                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            except OSError:
                pass
            self._specs[directory] = spec
        return self._specs[directory]

    def _repo_root(self, directory: Path) -> Path | None:
        if directory in self._repo_roots:
            return self._repo_roots[directory]
        root: Path | None
        if (directory / ".git").exists():
            root = directory
        elif directory.parent == directory:
            root = None
        else:
            root = self._repo_root(directory.parent)
        self._repo_roots[directory] = root
        return root


def discover(
    paths: list[str], resolver: SettingsResolver, force_exclude: bool = False, listed: dict[str, tuple[int, int]] | None = None
) -> list[Candidate]:
    """All files to check under `paths`, sorted by display name; raises MissingPathError.

    `listed`, if given, receives each folder the walk lists, with its modification time and inode
    just before it was listed (cachelint.replay)."""
    gitignore = GitIgnore()
    out: dict[str, Candidate] = {}
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            raise MissingPathError(f"{given}: No such file or directory")
        absolute = Path(os.path.abspath(path))
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            settings = resolver.for_path(absolute.parent)
            if (force_exclude or settings.force_exclude) and (
                settings.is_excluded_with_parents(absolute) or (settings.respect_gitignore and gitignore.ignored(absolute, False))
            ):
                continue
            out[given] = _file_candidate(absolute, given, settings)
            continue
        for candidate in _walk(absolute, given, resolver, gitignore, listed):
            out.setdefault(candidate.display, candidate)
    return sorted(out.values(), key=lambda c: c.display)


def _walk(root: Path, display_root: str, resolver: SettingsResolver, gitignore: GitIgnore, listed: dict[str, tuple[int, int]] | None) -> list[Candidate]:
    found: list[Candidate] = []
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            if listed is not None:
                info = os.stat(directory)
                listed[str(directory)] = (info.st_mtime_ns, info.st_ino)
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            settings = resolver.for_path(directory)
            found.append(Candidate(str(directory), _display(directory, root, display_root), settings, f"cannot list directory: {exc.strerror}; its files were not checked"))
            continue
        settings = resolver.for_path(directory)
        subdirs: list[Path] = []
        real_directory = os.path.realpath(directory)
        for entry in entries:
            path = Path(entry.path)
            # An entry that is not a link resolves inside its resolved folder (one realpath per folder).
            real = None if entry.is_symlink() else os.path.join(real_directory, entry.name)
            try:
                # Directory symlinks are not followed (as git and Ruff do), so a link loop cannot recurse.
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError:
                is_dir, is_file = False, False
            if is_dir:
                if not _excluded(path, settings, gitignore, True, real):
                    subdirs.append(path)
                continue
            if not (entry.name.endswith(CHECKED_SUFFIXES) or _reads_config(path, settings)) or _excluded(path, settings, gitignore, False, real):
                continue
            display = _display(path, root, display_root)
            if not is_file:
                found.append(Candidate(str(path), display, settings, _link_problem(path)))
                continue
            found.append(_file_candidate(path, display, settings))
        stack.extend(reversed(subdirs))
    return found


def _file_candidate(path: Path, display: str, settings: Settings) -> Candidate:
    try:
        mode = path.stat().st_mode
    except OSError:
        return Candidate(str(path), display, settings, _link_problem(path))
    if not stat.S_ISREG(mode):
        # A FIFO or a device named on the command line: reading it would block or never end.
        return Candidate(str(path), display, settings, "not a regular file; it was not analysed")
    return Candidate(str(path), display, settings)


def _link_problem(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == 40:
            return "symlink loop; it was not analysed"
        if path.is_symlink():
            return "broken symlink; it was not analysed"
        return f"cannot read file: {exc.strerror}; it was not analysed"
    return "not a regular file; it was not analysed"


def _reads_config(path: Path, settings: Settings) -> bool:
    """A config file that an enabled rule reads (so `--select CL1` does not pick up `.env` files)."""
    return config_kind(path) is not None and not CONFIG_RULES.isdisjoint(settings.enabled_for(path))


def _excluded(path: Path, settings: Settings, gitignore: GitIgnore, is_dir: bool, real: str | None) -> bool:
    if settings.is_excluded(path, real):
        return True
    return settings.respect_gitignore and gitignore.ignored(path, is_dir)


def _display(path: Path, root: Path, display_root: str) -> str:
    rel = path.relative_to(root)
    return os.path.normpath(os.path.join(display_root, rel)) if str(rel) != "." else display_root
