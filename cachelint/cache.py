"""The result cache: per-file results keyed by content hash and everything that can change a
result, kept in a few pack files.

Layout of the cache directory (default `.cachelint_cache/` in the project root):

    CACHEDIR.TAG                  marks it as a cache for backup tools
    .gitignore                    `*`, so it is never committed
    v2/<s>-<time>-<pid>-<n>.pack  entries a run wrote whose key digest begins with <s> (format 2)

A run reads a shard's packs (keys split in 16 by their first hex digit) once, at its first
lookup there, and writes the entries it computed at its end as one new pack per shard (temp file
+ `os.replace`). A few files per run rather than one per entry: on a 2-core virtual machine
creating a file cost 0.1-0.7 ms of system time, which made a first run of 2,145 files (two
entries each) 2.5 s slower than the same run without the cache, and every CI run is a first run.
Shards keep a run that looks up a few files (a commit hook) from reading the whole cache.
Concurrent runs stay safe without locks: each writes its own packs, and a reader sees a whole
pack or none. When a shard has MAX_PACKS packs, the run that writes there merges the ones it read
into its own and removes them; a pack another process wrote meanwhile is neither read nor removed.
Every read problem (missing, truncated, corrupt, other format, unreadable) is a miss; every write
problem disables writing for the rest of the run with one warning. Entries are JSON, never
pickle, so a cache directory planted in a cloned repository cannot run code.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import xxhash

from cachelint import __version__
from cachelint.diagnostics import Diagnostic, Edit, Fix, Location, Related

CACHE_DIR_NAME = ".cachelint_cache"
FORMAT = "v2"
PACK_SUFFIX = ".pack"
PACK_HEADER = "cachelint result pack 2\n"
_HEX = frozenset("0123456789abcdef")
# Packs a run may find before it merges them (each run that computes something adds one).
MAX_PACKS = 16
TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
CACHEDIR_TAG = f"{TAG_SIGNATURE}\n# This file is a cache directory tag created by cachelint.\n# For information about cache directory tags see https://bford.info/cachedir/\n"

_PACKAGE = Path(__file__).resolve().parent


def digest(data: bytes) -> str:
    """The content hash used everywhere in the cache: xxh3-128, hex."""
    return xxhash.xxh3_128_hexdigest(data)


@dataclass(frozen=True)
class CacheKey:
    """Everything one file's result depends on.

    `context` covers the tool (version, Python, code, rule files) and the resolved settings;
    `codes` the rules enabled for this file after per-file-ignores; `name` the display name that
    the diagnostics carry. `extra` is open-ended key material for results that depend on more
    than this file's bytes (for instance the hashes of other modules' summaries a file used):
    adding items changes the digest, so no entry format change is needed.
    """

    context: str
    content: str
    name: str
    codes: tuple[str, ...]
    extra: tuple[str, ...] = ()

    def hexdigest(self) -> str:
        material = json.dumps([FORMAT, self.context, self.content, self.name, self.codes, self.extra])
        return digest(material.encode("utf-8"))


def resolve_cache_dir(option: str | None, configured: str | None, config_root: Path, project_root: Path) -> Path:
    """`--cache-dir`/`CACHELINT_CACHE_DIR` first, then config `cache-dir` (relative to its file), then the default."""
    if option:
        return Path(option)
    if configured:
        return config_root / configured
    return project_root / CACHE_DIR_NAME


def tool_fingerprint(rule_files: tuple[str, ...]) -> str:
    """Hash of cachelint's version, the Python minor version, cachelint's own code and the rule files.

    The code is included so that an editable install never serves results of older engine code
    under the same version number; the rule files are every shipped YAML file plus any loaded
    from elsewhere (user extensions live in the settings fingerprint).
    """
    from cachelint.rulefiles import rules_dir

    h = xxhash.xxh3_128()
    h.update(f"{__version__}\0{sys.version_info[0]}.{sys.version_info[1]}\0".encode())
    code = sorted(p for p in _PACKAGE.rglob("*.py") if "runtime" not in p.relative_to(_PACKAGE).parts)
    rules = sorted(set(rules_dir().rglob("*.yaml")) | {Path(f) for f in rule_files})
    for path in (*code, *rules):
        h.update(str(path).encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<unreadable>")
        h.update(b"\0")
    return h.hexdigest()


def context_key(tool: str, settings_fingerprint: str) -> str:
    """The part of every key that is shared by all files under one configuration."""
    return digest(f"{tool}\0{settings_fingerprint}".encode())


class ResultCache:
    """Read and write per-file results under one cache directory; `flush` writes what `put` gave."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.entries = directory / FORMAT
        self._entries_text = str(self.entries)
        self.writable = True
        self._prepared = False
        self._index: dict[str, dict[str, str]] = {}  # shard -> key digest -> entry JSON, from the packs read
        self._read_packs: dict[str, list[str]] = {}  # shard -> the packs its index was read from
        self._new: dict[str, str] = {}  # entries put since the last flush
        self._flushes = 0

    def get(self, key: CacheKey) -> list[Diagnostic] | None:
        """The stored diagnostics for `key`, or None on a miss (including any unreadable entry)."""
        entry = self._read(key)
        try:
            return [_diagnostic(d) for d in entry["diagnostics"]] if entry is not None else None
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: CacheKey, diagnostics: list[Diagnostic]) -> None:
        """Store a result (written by the next `flush`)."""
        self._write(key, {"diagnostics": [asdict(d) for d in diagnostics]})

    def get_scan(self, key: CacheKey) -> dict[str, Any] | None:
        """What the project scan read from a file's bytes (see `project.Scan.facts`), or None."""
        entry = self._read(key)
        facts = entry.get("scan") if entry is not None else None
        return facts if isinstance(facts, dict) else None

    def put_scan(self, key: CacheKey, facts: dict[str, Any]) -> None:
        self._write(key, {"scan": facts})

    def flush(self) -> None:
        """Write the entries put since the last flush, one pack per shard they fall in; a write
        failure only turns writing off (with one warning)."""
        if not self._new or not self.writable:
            self._new = {}
            return
        by_shard: dict[str, dict[str, str]] = {}
        for hexdigest, entry in self._new.items():
            by_shard.setdefault(hexdigest[0], {})[hexdigest] = entry
        self._new = {}
        try:
            self._prepare()
            on_disk = self._pack_names()
            for shard, entries in sorted(by_shard.items()):
                merge = len(on_disk.get(shard, ())) >= MAX_PACKS
                if merge:
                    entries = {**self._loaded(shard), **entries}
                written = self._write_pack(shard, entries)
                if merge:
                    for name in self._read_packs.pop(shard, []):
                        _remove_quietly(os.path.join(self._entries_text, name))
                # A later run in this process (`--fix` checks the fixed files again) finds them as read.
                self._loaded(shard).update(entries)
                self._read_packs.setdefault(shard, []).append(written)
        except OSError as exc:
            self._disable(exc)

    def _read(self, key: CacheKey) -> dict[str, Any] | None:
        hexdigest = key.hexdigest()
        text = self._new.get(hexdigest) or self._loaded(hexdigest[0]).get(hexdigest)
        if text is None:
            return None
        try:
            entry = json.loads(text)
        except ValueError:
            return None
        return entry if isinstance(entry, dict) and entry.get("key") == hexdigest else None

    def _write(self, key: CacheKey, payload: dict[str, Any]) -> None:
        if self.writable:
            hexdigest = key.hexdigest()
            self._new[hexdigest] = json.dumps({"key": hexdigest, **payload}, separators=(",", ":"))

    def _loaded(self, shard: str) -> dict[str, str]:
        """Every entry of the shard's packs on disk, read at its first lookup (a later pack's entry wins).

        Keys are split in 16 shards by their first hex digit, so a run that looks up a few files
        (a commit hook) reads a few sixteenths of the cache, not all of it."""
        index = self._index.get(shard)
        if index is None:
            index = self._index[shard] = {}
            names = self._pack_names().get(shard, [])
            self._read_packs[shard] = list(names)
            for name in names:
                try:
                    with open(os.path.join(self._entries_text, name), encoding="utf-8") as handle:
                        text = handle.read()
                except (OSError, ValueError):  # unreadable, or not UTF-8
                    continue
                if not text.startswith(PACK_HEADER):
                    continue
                for line in text[len(PACK_HEADER) :].split("\n"):
                    hexdigest, tab, entry = line.partition("\t")
                    if tab:
                        index[hexdigest] = entry
        return index

    def _pack_names(self) -> dict[str, list[str]]:
        """The pack names on disk by shard (`<shard>-<time>-<pid>-<n>.pack`), oldest first."""
        listing: dict[str, list[str]] = {}
        try:
            names = sorted(os.listdir(self._entries_text))
        except OSError:
            names = []
        for name in names:
            if name.endswith(PACK_SUFFIX) and name[1:2] == "-" and name[0] in _HEX:
                listing.setdefault(name[0], []).append(name)
        return listing

    def _write_pack(self, shard: str, entries: dict[str, str]) -> str:
        # JSON escapes tabs and newlines inside strings, so one entry is one line.
        text = PACK_HEADER + "".join(f"{hexdigest}\t{entry}\n" for hexdigest, entry in entries.items())
        self._flushes += 1
        name = f"{shard}-{time.time_ns()}-{os.getpid()}-{self._flushes}{PACK_SUFFIX}"
        _write_atomic(self.entries / name, text)
        return name

    def _prepare(self) -> None:
        """Create the directory with its tag and .gitignore, once per run, before the first write."""
        if self._prepared:
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "# Created by cachelint.\n*\n")):
            target = self.directory / name
            if not target.exists():
                _write_atomic(target, text)
        self._prepared = True

    def _disable(self, exc: OSError) -> None:
        self.writable = False
        reason = exc.strerror or exc.__class__.__name__
        print(f"cachelint: warning: cannot write the cache in {self.directory} ({reason}); results are not cached", file=sys.stderr)


class NotACacheError(Exception):
    """The directory to clean has no cachelint CACHEDIR.TAG, so it may hold something else."""


def clean(directory: Path) -> bool:
    """Remove a cache directory; returns False when there is none. Refuses a folder cachelint did not tag."""
    import shutil

    if not directory.exists():
        return False
    tag = directory / "CACHEDIR.TAG"
    try:
        is_ours = tag.read_text(encoding="utf-8", errors="replace").startswith(TAG_SIGNATURE)
    except OSError:
        is_ours = False
    if not is_ours:
        raise NotACacheError(f"{directory} has no cachelint CACHEDIR.TAG; not removing it")
    shutil.rmtree(directory)
    return True


def _write_atomic(target: Path, text: str) -> None:
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    # O_EXCL makes a collision fail instead of sharing a file.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, target)
    except BaseException:
        _remove_quietly(temp)
        raise


def _remove_quietly(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _location(data: dict[str, Any]) -> Location:
    return Location(int(data["row"]), int(data["column"]))


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    """Rebuild a Diagnostic from `dataclasses.asdict` output (the inverse of `put`)."""
    fix = data.get("fix")
    return Diagnostic(
        **{
            **data,
            "location": _location(data["location"]),
            "end_location": _location(data["end_location"]),
            "related": tuple(Related(r["filename"], _location(r["location"]), r["message"]) for r in data["related"]),
            "fix": None
            if fix is None
            else Fix(
                fix["applicability"],
                fix["message"],
                tuple(Edit(e["content"], _location(e["location"]), _location(e["end_location"])) for e in fix["edits"]),
            ),
        }
    )
