"""Configuration: `[tool.cachelint]` in pyproject.toml or `cachelint.yaml`, closest file wins.

Keys use Ruff's spelling. Every problem (unknown key, wrong type, unknown rule) is a ConfigError
that names the file, the line when it can be found, the key and what is allowed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from cachelint.catalogue import Catalogue
from cachelint.knowledge import Knowledge, load_knowledge
from cachelint.yamlfile import DataError, Doc, load_yaml_file

CONFIG_NAMES = (".cachelint.yaml", "cachelint.yaml", "pyproject.toml")
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "github", "gitlab", "sarif", "junit")
DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".hypothesis", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pytest_cache", ".pytype", ".ruff_cache", ".cachelint_cache",
    ".svn", ".tox", ".venv", "__pypackages__", "__pycache__", "_build", "buck-out", "build", "dist",
    "node_modules", "site-packages", "venv",
)
LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude")
EXTENSION_KEYS = ("extend-sources", "extend-sinks", "extend-sanitizers")
ALLOWED_KEYS = (
    *LIST_KEYS, "per-file-ignores", *EXTENSION_KEYS, "output-format", "cache-dir", "respect-gitignore", "force-exclude", "max-file-size",
)
# Files that can reach a sink and are larger are not analysed (CL001 says so): libcst's tree of a
# 1 MB module takes about 540 MB and ten seconds. Semgrep skips files over 1 MB the same way.
DEFAULT_MAX_FILE_SIZE = 512 * 1024


class ConfigError(DataError):
    """A configuration problem: exit code 2 with this message."""


@dataclass(frozen=True)
class Settings:
    """Resolved settings for the files under one configuration root."""

    root: Path
    config_file: str | None
    enabled: frozenset[str]
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...]
    exclude: tuple[str, ...]
    knowledge: Knowledge
    output_format: str | None = None
    cache_dir: str | None = None
    respect_gitignore: bool = True
    force_exclude: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    fingerprint: str = ""

    def enabled_for(self, path: Path) -> frozenset[str]:
        """Enabled rule codes for one file, after `per-file-ignores`."""
        if not self.per_file_ignores:
            return self.enabled
        rel = relative_posix(path, self.root)
        enabled = set(self.enabled)
        for pattern, codes in self.per_file_ignores:
            if glob_match(rel, pattern):
                enabled -= codes
        return frozenset(enabled)

    def is_excluded(self, path: Path, real: str | None = None) -> bool:
        """Whether this file or directory itself matches an exclusion (the walk prunes below it);
        `real` is its path with symlinks resolved, when the caller knows it."""
        rel = relative_posix(path, self.root, real)
        return glob_match_any(rel, self.exclude)

    def is_excluded_with_parents(self, path: Path) -> bool:
        """For paths given explicitly (with --force-exclude): the file or any folder above it."""
        current = path
        while True:
            if self.is_excluded(current):
                return True
            if current.parent == current or current.parent == self.root or self.root not in current.parents:
                return False
            current = current.parent


@dataclass
class CliOverrides:
    """Options given on the command line; they win over every configuration file."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    output_format: str | None = None
    cache_dir: str | None = None


class SettingsResolver:
    """Finds the configuration that applies to each directory, once per directory."""

    def __init__(self, catalogue: Catalogue, overrides: CliOverrides, config_file: Path | None = None) -> None:
        self.catalogue = catalogue
        self.overrides = overrides
        self._by_dir: dict[Path, Settings] = {}
        self._by_file: dict[Path, Settings] = {}
        self._fixed = self._load(config_file) if config_file is not None else None

    @cached_property
    def default(self) -> Settings:
        return self._build({}, None, Path(os.path.realpath(os.getcwd())), Doc("<defaults>", {}, {}))

    def for_path(self, path: Path) -> Settings:
        """The settings of the closest configuration above `path` (a file or directory)."""
        if self._fixed is not None:
            return self._fixed
        directory = path if path.is_dir() else path.parent
        directory = Path(os.path.realpath(directory))
        chain: list[Path] = []
        current: Path | None = directory
        found: Settings | None = None
        while current is not None:
            if current in self._by_dir:
                found = self._by_dir[current]
                break
            chain.append(current)
            config = find_config_file(current)
            if config is not None:
                found = self._load(config)
                break
            current = current.parent if current.parent != current else None
        settings = found or self.default
        for d in chain:
            self._by_dir[d] = settings
        return settings

    def _load(self, path: Path) -> Settings:
        path = Path(os.path.realpath(path))
        if path in self._by_file:
            return self._by_file[path]
        doc = read_config(path)
        settings = self._build(doc.data, str(path), path.parent, doc)
        self._by_file[path] = settings
        return settings

    def _build(self, data: dict[str, Any], config_file: str | None, root: Path, doc: Doc) -> Settings:
        validate_keys(data, doc)
        select = self.overrides.select if self.overrides.select is not None else data.get("select", ["ALL"])
        from_cli = self.overrides.select is not None
        enabled = set(self.resolve(select, doc, None if from_cli else ("select",), "--select"))
        enabled |= self.resolve(data.get("extend-select", []), doc, ("extend-select",))
        enabled |= self.resolve(self.overrides.extend_select, doc, None, "--extend-select")
        enabled -= self.resolve(data.get("ignore", []), doc, ("ignore",))
        enabled -= self.resolve(self.overrides.ignore, doc, None, "--ignore")
        per_file = []
        for pattern, codes in (data.get("per-file-ignores") or {}).items():
            per_file.append((pattern, frozenset(self.resolve(codes, doc, ("per-file-ignores", pattern)))))
        exclude = tuple(data.get("exclude", DEFAULT_EXCLUDE)) + tuple(data.get("extend-exclude", []))
        try:
            knowledge = load_knowledge(
                data.get("extend-sources"), data.get("extend-sinks"), data.get("extend-sanitizers"), origin=doc
            )
        except DataError as exc:
            raise ConfigError(exc.filename, exc.line, exc.message) from None
        fingerprint = json.dumps(
            {
                "enabled": sorted(enabled),
                "pfi": [(p, sorted(c)) for p, c in per_file],
                "ext": {k: data.get(k) for k in EXTENSION_KEYS},
                "max": data.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
            },
            sort_keys=True,
            default=str,
        )
        return Settings(
            root=root,
            config_file=config_file,
            enabled=frozenset(enabled),
            per_file_ignores=tuple(per_file),
            exclude=exclude,
            knowledge=knowledge,
            output_format=data.get("output-format"),
            cache_dir=data.get("cache-dir"),
            respect_gitignore=data.get("respect-gitignore", True),
            force_exclude=data.get("force-exclude", False),
            max_file_size=data.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
            fingerprint=fingerprint,
        )

    def resolve(self, selectors: list[str], doc: Doc, path: tuple[Any, ...] | None, where: str | None = None) -> set[str]:
        """Rule codes for a list of selectors: a code, a prefix (`CL1`), a rule name, or `ALL`."""
        codes: set[str] = set()
        all_codes = [r.code for r in self.catalogue.rules]
        for i, selector in enumerate(selectors):
            selector = selector.strip()
            if selector == "ALL":
                codes.update(all_codes)
                continue
            rule = self.catalogue.get(selector)
            if rule is not None:
                codes.add(rule.code)
                continue
            matched = [c for c in all_codes if c.startswith(selector.upper())] if re.fullmatch(r"CL[0-9]{0,3}", selector, re.I) else []
            if not matched:
                message = f"unknown rule selector `{selector}`; expected a rule code (CL101), a prefix (CL1), a rule name, or ALL"
                if path is None:
                    raise ConfigError(where or "command line", None, message)
                raise ConfigError(doc.filename, doc.line(path + (i,)), f"`{path[0]}`: {message}")
            codes.update(matched)
        return codes


def find_config_file(directory: Path) -> Path | None:
    """The configuration file in `directory`, if any (a pyproject.toml counts only with [tool.cachelint])."""
    for name in CONFIG_NAMES:
        candidate = directory / name
        if not candidate.is_file():
            continue
        if name != "pyproject.toml":
            return candidate
        try:
            text = candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if re.search(r"^\s*\[\s*tool\s*\.\s*cachelint\s*[\].]", text, re.M):
            return candidate
    return None


def read_config(path: Path) -> Doc:
    """Load a configuration file into a Doc of its cachelint table."""
    if path.suffix == ".toml":
        # Imported here: most runs read no pyproject.toml with a cachelint table.
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - exercised on 3.10 only
            import tomli as tomllib
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except OSError as exc:
            raise ConfigError(str(path), None, f"cannot read configuration: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(str(path), None, "configuration is not valid UTF-8") from None
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None) or _toml_error_line(str(exc), text)
            raise ConfigError(str(path), line, f"invalid TOML: {exc}") from None
        except RecursionError:  # tomllib reads nested arrays and tables recursively
            raise ConfigError(str(path), None, "invalid TOML: nested too deeply") from None
        tool = data.get("tool", {})
        table = tool.get("cachelint", {}) if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(str(path), None, "`[tool.cachelint]` must be a table")
        return Doc(str(path), table, _toml_lines(text, table))
    try:
        doc = load_yaml_file(path)
    except DataError as exc:
        raise ConfigError(exc.filename, exc.line, exc.message) from None
    if doc.data is None:
        return Doc(doc.filename, {}, doc.lines)
    if not isinstance(doc.data, dict):
        raise ConfigError(str(path), 1, "configuration must be a mapping of keys (select, ignore, ...)")
    return doc


def validate_keys(data: dict[str, Any], doc: Doc) -> None:
    for key, value in data.items():
        path = (key,)
        if key not in ALLOWED_KEYS:
            raise ConfigError(doc.filename, doc.line(path), f"unknown key `{key}`; allowed keys: {', '.join(ALLOWED_KEYS)}")
        if key in LIST_KEYS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(doc.filename, doc.line(path), f"`{key}` must be a list of strings, got {_shown(value)}")
        if key == "per-file-ignores" and not (
            isinstance(value, dict) and all(isinstance(v, list) and all(isinstance(c, str) for c in v) for v in value.values())
        ):
            raise ConfigError(doc.filename, doc.line(path), "`per-file-ignores` must map glob patterns to lists of rule selectors")
        if key in EXTENSION_KEYS and not isinstance(value, list):
            raise ConfigError(doc.filename, doc.line(path), f"`{key}` must be a list of mappings")
        if key == "output-format" and value not in OUTPUT_FORMATS:
            raise ConfigError(doc.filename, doc.line(path), f"`output-format` must be one of {', '.join(OUTPUT_FORMATS)}, got {value!r}")
        if key == "cache-dir" and not isinstance(value, str):
            raise ConfigError(doc.filename, doc.line(path), "`cache-dir` must be a string path")
        if key in ("respect-gitignore", "force-exclude") and not isinstance(value, bool):
            raise ConfigError(doc.filename, doc.line(path), f"`{key}` must be true or false")
        if key == "max-file-size" and not (type(value) is int and value > 0):
            raise ConfigError(doc.filename, doc.line(path), f"`max-file-size` must be a positive number of bytes, got {_shown(value)}")


def _shown(value: Any) -> str:
    """A wrong value as the message shows it: its text, cut short."""
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _toml_lines(text: str, table: dict[str, Any]) -> dict[tuple[Any, ...], int]:
    """Best-effort line numbers for keys of [tool.cachelint] (tomllib does not report them)."""
    lines: dict[tuple[Any, ...], int] = {}
    rows = text.splitlines()
    start = next((i for i, r in enumerate(rows) if re.match(r"\s*\[\s*tool\s*\.\s*cachelint\s*\]", r)), None)
    if start is None:
        return lines
    lines[()] = start + 1
    for key in table:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start + 1, len(rows)):
            if re.match(r"\s*\[[^\]]", rows[i]) and not rows[i].strip().startswith("[[tool.cachelint"):
                break
            if pattern.match(rows[i]):
                lines[(key,)] = i + 1
                break
    return lines


def _toml_error_line(message: str, text: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    if match:
        return int(match.group(1))
    # "Invalid value (at end of document)": an unclosed array or string, reported at the last line.
    return max(1, len(text.splitlines())) if "end of document" in message else None


def relative_posix(path: Path, root: Path, real: str | None = None) -> str:
    """`path` relative to `root` once symlinks are resolved (`real`, if known), else `path` as given."""
    # realpath, unlike Path.resolve, never raises on a symlink loop.
    resolved = real if real is not None else os.path.realpath(path)
    base = str(root)
    if resolved == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if resolved.startswith(prefix):
        return resolved[len(prefix) :].replace(os.sep, "/")
    return path.as_posix()


def glob_match(rel: str, pattern: str) -> bool:
    """Ruff-style exclusion: a pattern without `/` matches the entry's name; with `/`, its path."""
    return glob_match_any(rel, (pattern,))


def glob_match_any(rel: str, patterns: tuple[str, ...]) -> bool:
    """Whether any of `patterns` matches `rel` (as `glob_match`), with one compiled test per kind."""
    names, by_name, by_path = _matchers(patterns)
    name = rel.rsplit("/", 1)[-1]
    return name in names or bool((by_name and by_name.match(name)) or (by_path and by_path.match(rel)))


@lru_cache(maxsize=256)
def _matchers(patterns: tuple[str, ...]) -> tuple[frozenset[str], re.Pattern[str] | None, re.Pattern[str] | None]:
    """The names that `patterns` match exactly (a set lookup), and `_compiled_globs` of the others.

    A pattern with no `/` and no wildcard matches just that name; the default exclusions are all
    such names, so the usual run compiles no pattern (about 1 ms for the 26 of them).
    """
    names = frozenset(p.rstrip("/") for p in patterns if "/" not in p.rstrip("/") and not any(c in p for c in "*?["))
    return (names, *_compiled_globs(tuple(p for p in patterns if p.rstrip("/") not in names)))


@lru_cache(maxsize=256)
def _compiled_globs(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    # Discovery tests every entry of the tree against every pattern: one regular expression per
    # kind of pattern is much cheaper than an fnmatch call per pattern.
    from fnmatch import translate

    names: list[str] = []
    paths: list[str] = []

    def add(pattern: str) -> None:
        pattern = pattern.rstrip("/")
        if "/" not in pattern:
            names.append(translate(pattern))
            return
        pattern = pattern.removeprefix("./")
        if pattern.startswith("**/"):
            add(pattern[3:])
            paths.append(translate(pattern))
            return
        paths.extend((translate(pattern), translate(pattern + "/*")))

    for pattern in patterns:
        add(pattern)
    return (re.compile("|".join(names)) if names else None, re.compile("|".join(paths)) if paths else None)
