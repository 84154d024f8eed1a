"""Warm runs that change nothing: print the recorded output of the same `cachelint check` again.

A run with the result cache on reads every file, reads two cache entries per file, and imports
click, YAML and the settings machinery only to print what it printed last time: about 0.3 s on the
standard library when nothing changed. So a full run that ends normally records, in the result
cache folder (`runs/`), its output and exit code together with everything the output depended on:

- the command: its arguments, the current directory, `CACHELINT_CACHE_DIR`, and cachelint itself
  (its modules and rule files by size and modification time, as the start-up store keeps them);
- every folder the walk listed, by modification time and inode: a file added, removed or renamed
  in it changes the folder's time;
- in every folder above the paths given and the current directory, the state of the names that
  choose settings, exclusions and the project root (`WATCHED_NAMES`): absent, present, or the hash
  of the file's bytes;
- the content hash of every file checked, as the run read it, and of every settings, `.gitignore`
  and extra rule file it read.

The start-up fast path (`cachelint.fastpath`) finds the record for the same command and prints its
output when all of that is unchanged, at about the cost of reading the files. A folder or settings
file changed less than `RACY_NS` before the run began, or while it ran, could hide a change within
the file system's clock resolution, so such a run records nothing (as git treats "racily clean"
entries). Files are compared by content, never by time. Anything unusual (a file that could not be
read, a symlink problem, output to stderr, fixes, `--output-file`, `--no-cache`) records nothing,
and any doubt at replay time hands over to the full path.
"""

from __future__ import annotations

import marshal
import os
import sys
import time

# `typing` for type checkers only (see cachelint/__init__.py): this module is read at start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

RECORD_FORMAT = 1
RUNS_DIR = "runs"
# Commands of one cache folder whose records are kept; the least recently written go first.
MAX_RECORDS = 32
# The names in a folder that decide settings (cachelint.config.CONFIG_NAMES), exclusions and the
# project root; for a folder the walk listed, its modification time covers their presence.
WATCHED_NAMES = (".cachelint.yaml", "cachelint.yaml", "pyproject.toml", ".gitignore", ".git")
# A change this close to the start of a run may share a file-system time stamp with the state the
# run saw; coarse clocks tick every few milliseconds, so one second is ample.
RACY_NS = 1_000_000_000
# `check` options after which the output is not all there is to the command.
NOT_REPLAYED = ("--fix", "--diff", "--add-noqa", "--no-cache", "-o", "--output-file", "-h", "--help")
PRESENT = True

# The command line as the entry point saw it (cachelint.fastpath.main sets it): only a run started
# from there records, because a test harness calling the click command has another sys.argv.
command_line: tuple[str, ...] | None = None


def replayable(args: list[str] | tuple[str, ...]) -> bool:
    """Whether a `check` with these arguments may be answered from, or leave, a record."""
    return not any(arg in NOT_REPLAYED or arg.startswith(("--output-file=", "-o")) for arg in args)


def record_path(cache_dir: str, args: tuple[str, ...], cwd: str, env: str | None) -> str:
    """Where the record of this command lives in the cache folder `cache_dir` (the record itself
    names the command, so a shared name only costs a replay)."""
    import xxhash

    key = "\0".join((*args, "", cwd, "", env or "")).encode("utf-8", "surrogateescape")
    # The folder as given on either side ("cache/", "./cache"), made absolute the same way.
    return os.path.join(os.path.abspath(cache_dir), RUNS_DIR, f"{xxhash.xxh3_64_hexdigest(key)}.marshal")


def digest(data: bytes) -> str:
    """The content hash, as the result cache computes it (cachelint.cache.digest)."""
    import xxhash

    return xxhash.xxh3_128_hexdigest(data)


def name_state(folder: str, name: str) -> object:
    """None when `name` is absent from `folder`, PRESENT for a folder (`.git`), else its bytes' hash."""
    path = os.path.join(folder, name)
    if not os.path.lexists(path):
        return None
    if os.path.isdir(path):
        return PRESENT
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return "<unreadable>"


# -- replay (the start-up fast path) ----------------------------------------------------------


def replay(args: list[str], cache_dir: str, tool: tuple[object, ...]) -> int | None:
    """Print the recorded output of `cachelint check ARGS` and return its exit code, or return None
    (having printed nothing) unless every input the record names is as it was."""
    cwd = os.getcwd()
    env = os.environ.get("CACHELINT_CACHE_DIR")
    try:
        with open(record_path(cache_dir, tuple(args), cwd, env), "rb") as handle:
            record = marshal.loads(handle.read())
        if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT or record.get("tool") != tool:
            return None
        if record["command"] != (tuple(args), cwd, env) or not unchanged(record):
            return None
        output, code = record["output"], record["exit"]
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
    if not (isinstance(output, str) and type(code) is int):
        return None  # checked before printing: a None after printing would run the full path too
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")  # as click.echo prints it
    return code


def unchanged(record: dict[str, Any]) -> bool:
    """Every folder, name and file of the record is as the recording run saw it."""
    from cachelint.fastpath import files_unchanged

    if not files_unchanged(record["code"]):
        return False
    for folder, mtime, inode in record["folders"]:
        info = os.stat(folder)
        if (info.st_mtime_ns, info.st_ino) != (mtime, inode):
            return False
    for folder, name, state in record["names"]:
        if name_state(folder, name) != state:
            return False
    for path, content in record["files"]:
        with open(path, "rb") as handle:
            if digest(handle.read()) != content:
                return False
    return True


# -- recording (the full path) ------------------------------------------------------------------


class Recorder:
    """Collects what a full `check` run depends on, then writes its record (see the module docstring).

    Create it before the run reads anything, so that its start time bounds every change it saw.
    """

    def __init__(self, args: tuple[str, ...]) -> None:
        self.args = args
        self.started = time.time_ns()
        # Folders the walk listed, with their (modification time, inode) just before listing.
        self.listed: dict[str, tuple[int, int]] = {}

    def write(
        self,
        cache_dir: str,
        roots: list[str],
        contents: dict[str, str],
        settings_files: set[str],
        output: str,
        exit_code: int,
    ) -> None:
        """Record the run's `output` and `exit_code`; never raises.

        `roots`: the paths given (or "."); `contents`: the content hash of every file checked, by
        path, as the run read it; `settings_files`: configuration and rule files it loaded."""
        try:
            record = self._record(roots, contents, settings_files, output, exit_code)
            if record is not None:
                self._store(cache_dir, record)
        except Exception:  # noqa: BLE001 - a record only saves time; the run's result stands without it
            pass

    def _record(self, roots: list[str], contents: dict[str, str], settings_files: set[str], output: str, exit_code: int) -> dict[str, Any] | None:
        from cachelint.fastpath_store import tool_files

        cwd = os.getcwd()
        folders = []
        for folder, before in sorted(self.listed.items()):
            info = os.stat(folder)
            after = (info.st_mtime_ns, info.st_ino)
            if after != before or not self._settled(info.st_mtime_ns):
                return None
            folders.append((folder, *after))
        files = dict(contents)
        for folder in self.listed:
            for name in WATCHED_NAMES[:-1]:
                path = os.path.join(folder, name)
                if os.path.isfile(path):
                    files[path] = self._settled_content(path)
        for path in settings_files:
            files[path] = self._settled_content(path)
        if None in files.values():
            return None
        names = []
        for folder in self._above(roots, cwd):
            for name in WATCHED_NAMES:
                path = os.path.join(folder, name)
                # A file's state is its hash (name_state's), read once and only if it is settled.
                state = self._settled_content(path) if os.path.isfile(path) else name_state(folder, name)
                if state is None and os.path.lexists(path):
                    return None
                names.append((folder, name, state))
        return {
            "format": RECORD_FORMAT,
            "tool": self.tool,
            "code": tool_files(),
            "command": (self.args, cwd, os.environ.get("CACHELINT_CACHE_DIR")),
            "folders": tuple(folders),
            "names": tuple(names),
            "files": tuple(sorted(files.items())),
            "output": output,
            "exit": exit_code,
        }

    @property
    def tool(self) -> tuple[object, ...]:
        from cachelint.fastpath import tool_identity

        return tool_identity()

    def _settled(self, mtime_ns: int) -> bool:
        return mtime_ns < self.started - RACY_NS

    def _settled_content(self, path: str) -> str | None:
        """The hash of a settings file's bytes, or None if it changed too recently to be sure the
        run read these bytes."""
        try:
            if not self._settled(os.stat(path).st_mtime_ns):
                return None
            with open(path, "rb") as handle:
                return digest(handle.read())
        except OSError:
            return None

    def _above(self, roots: list[str], cwd: str) -> list[str]:
        """Every folder above (and at) the given paths and the current directory, as written and
        as resolved: settings, exclusions and the project root are looked up there."""
        out: dict[str, None] = {}
        for start in (*roots, cwd):
            for path in dict.fromkeys((os.path.abspath(start), os.path.realpath(start))):
                folder = path if os.path.isdir(path) else os.path.dirname(path)
                while True:
                    out[folder] = None
                    parent = os.path.dirname(folder)
                    if parent == folder:
                        break
                    folder = parent
        return list(out)

    def _store(self, cache_dir: str, record: dict[str, Any]) -> None:
        command = record["command"]
        path = record_path(cache_dir, *command)
        folder = os.path.dirname(path)
        if not os.path.isdir(os.path.dirname(folder)):
            return  # the cache folder itself is made by the result cache, with its tag files
        os.makedirs(folder, exist_ok=True)
        temp = f"{path}.{os.getpid()}.tmp"
        try:
            with open(temp, "wb") as handle:
                marshal.dump(record, handle)
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
        records = sorted(os.scandir(folder), key=lambda e: e.stat().st_mtime_ns, reverse=True)
        for old in records[MAX_RECORDS:]:
            if old.name.endswith(".marshal"):
                os.unlink(old.path)
