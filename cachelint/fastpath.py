"""The start-up fast path: `cachelint check FILE...` on files without sinks, at about Python's start-up cost.

Most files pre-commit passes cannot reach a prompt sink. For them the full command line imports
click, YAML and the engine (about 200 ms) only to print "All checks passed!". This module prints
that itself, with modules built into the interpreter only, when it can prove the full path would
print exactly that and exit 0. In every other case `answer` returns None, having printed nothing,
and the full command line runs as if this module did not exist. The proof, for every file given:

- it is a regular `.py` file of plain UTF-8 (no BOM, no coding cookie, no NUL byte): no CL003;
- it holds no suppression comment (`noqa`, `cachelint:`): no CL002;
- the prefilter of the settings that apply to it finds no sink spelled in it, so no dataflow
  rule runs; and with no sink in any file given, no file is analysed for what it imports;
- Python accepts its text (`cachelint.syntax`, which the engine asks first too): no CL001.

Exclusions (`--force-exclude`) and the choice of configuration file follow `cachelint.config` and
`cachelint.discovery` step by step. What the full path read from YAML and TOML (settings, the
compiled prefilter, which pyproject.toml holds a cachelint table, .gitignore patterns) comes from a
store that the full path records (`cachelint.fastpath_store`), valid only while the bytes of every
rule and config file it came from, and the size and mtime of cachelint's own modules, are
unchanged. Patterns are stored as the arguments of the regular expression engine's constructor,
because importing `re` alone costs as much as the rest of this module's work.

When that proof does not apply (a folder, a file with findings), the recorded output of the same
command is printed if nothing it depended on changed (`cachelint.replay`).
"""

import marshal
import os
import sys

# The regular expression engine's C half: `re` itself (enum, the pattern compiler) costs about 7 ms.
import _sre

from cachelint import __version__
from cachelint.syntax import python_accepts

# `typing` for type checkers only (see cachelint/__init__.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

STORE_FORMAT = 3
# The same names, in the same order of precedence, as cachelint.config.CONFIG_NAMES.
CONFIG_NAMES = (".cachelint.yaml", "cachelint.yaml", "pyproject.toml")
CACHE_DIR_NAME = ".cachelint_cache"  # cachelint.cache.CACHE_DIR_NAME
NO_FILES = "warning: No Python files found under the given path(s)"  # Ruff's words for the same case
# Formats whose output for a clean run is the footer alone (cachelint.formats.text).
TEXT_FORMATS = ("full", "concise")
# `check` options that do not change the output of a clean run; anything else goes to the full path.
FLAGS = ("--force-exclude", "--no-cache", "--exit-zero", "--fix", "--unsafe-fixes", "--statistics")
VALUED = ("--output-format", "--cache-dir", "-j", "--jobs", "--config")
UTF8_BOM = b"\xef\xbb\xbf"
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

# A settings record, as the store keeps it (see cachelint.fastpath_store.settings_record).
ROOT, RESPECT_GITIGNORE, FORCE_EXCLUDE, OUTPUT_FORMAT, CACHE_DIR, EXCLUDES, PREFILTER = range(7)


class Undecided(Exception):
    """The fast path cannot prove the full path's answer: hand over to it."""


def main() -> None:
    """The `cachelint` console script and `python -m cachelint`."""
    try:
        code = answer(sys.argv[1:])
    except Exception:  # noqa: BLE001 - a problem here must never cost a check: the full path decides
        code = None
    if code is not None:
        sys.exit(code)
    from cachelint import replay
    from cachelint.cli import main as full

    replay.command_line = tuple(sys.argv[1:])
    full()


def answer(argv: list[str]) -> int | None:
    """Print the full path's output and return its exit code, or return None (printing nothing)."""
    if os.name != "posix" or argv[:1] != ["check"]:
        return None
    store = load_store(store_path())
    options = parse_options(argv[1:])
    if options is not None and store is not None:
        try:
            count = Run(options, store).checked_count()
        except (Undecided, OSError):
            return replayed(argv[1:], store)
        if count == 0:
            sys.stderr.write(NO_FILES + "\n")
        sys.stdout.write(f"All checks passed! ({count} file{'s' if count != 1 else ''} checked)\n")
        return 0
    return replayed(argv[1:], store)


def replayed(args: list[str], store: dict | None) -> int | None:
    """The recorded output of the same command when nothing it depends on changed (cachelint.replay)."""
    from cachelint import replay

    if not replay.replayable(args):
        return None
    options = Options()
    options.values = option_values(args, ("--cache-dir", "--config"))
    cache_dir = explicit_cache_dir(options)
    if cache_dir is None:
        if store is None:
            return None
        try:
            cache_dir = Run(options, store).cache_directory()
        except (Undecided, OSError):
            return None
    return replay.replay(args, cache_dir, tool_identity())


def explicit_cache_dir(options: "Options") -> str | None:
    """`--cache-dir`, else `CACHELINT_CACHE_DIR` (click reads the variable only when the option is
    not given, and ignores it when empty)."""
    if "--cache-dir" in options.values:
        return options.values["--cache-dir"] or None
    return os.environ.get("CACHELINT_CACHE_DIR") or None


class Options:
    """The `check` options the fast path understands (click's semantics: the last value wins)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.values: dict[str, str] = {}
        self.flags: set[str] = set()


def parse_options(args: list[str]) -> Options | None:
    """`check`'s arguments, or None for anything outside the subset (which the full path handles)."""
    options = Options()
    rest = iter(args)
    for arg in rest:
        if not arg.startswith("-"):
            options.paths.append(arg)
        elif arg in FLAGS:
            options.flags.add(arg)
        elif arg.startswith("--") and arg.split("=", 1)[0] in VALUED and "=" in arg:
            name, value = arg.split("=", 1)
            options.values[name] = value
        elif arg in VALUED:
            value = next(rest, None)
            if value is None:
                return None
            options.values["--jobs" if arg == "-j" else arg] = value
        elif arg.startswith("-j") and len(arg) > 2:
            options.values["--jobs"] = arg[2:]
        else:
            return None
    jobs = options.values.get("--jobs", "0")
    if not options.paths or not (jobs.isascii() and jobs.isdigit()):
        return None
    if options.values.get("--output-format", "full") not in TEXT_FORMATS:
        return None
    return options


def option_values(args: list[str], names: tuple[str, ...]) -> dict[str, str]:
    """The last value of each option in `names` (as `--name value` or `--name=value`)."""
    values: dict[str, str] = {}
    for i, arg in enumerate(args):
        name, equals, value = arg.partition("=")
        if name in names and equals:
            values[name] = value
        elif arg in names and i + 1 < len(args):
            values[arg] = args[i + 1]
    return values


def store_path() -> str:
    """Where the full path records the store: the user's cache folder, one file per installation
    (pre-commit's environment and a project's virtualenv each have their own)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    # A short name for the installation's folder; tool_identity() inside the file is what is checked.
    name = 0
    for byte in PACKAGE_DIR.encode("utf-8", "surrogateescape"):
        name = (name * 131 + byte) % (1 << 61)
    return os.path.join(base, "cachelint", f"fastpath-{__version__}-{name:x}.marshal")


def tool_identity() -> tuple[object, ...]:
    """What the stored patterns are valid for: this cachelint, this interpreter, this regex engine."""
    return (STORE_FORMAT, __version__, sys.hexversion, _sre.MAGIC, PACKAGE_DIR)


def load_store(path: str) -> dict | None:
    """The recorded store if it is still valid for this installation and its rule files, else None."""
    try:
        # One read: marshal.load on a file object reads it piece by piece, several times slower.
        store = marshal.loads(read_bytes(path))
        if not isinstance(store, dict) or store.get("tool") != tool_identity():
            return None
        if not files_unchanged(store["tool_files"]):
            return None
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
    return store


def files_unchanged(files: tuple[tuple[str, int, int], ...]) -> bool:
    """Whether each (path, size, modification time) still holds: a module or rule file that changed
    has a new size or time (a stat, not a read). Raises OSError for a file that is gone."""
    for name, size, mtime in files:
        info = os.stat(name)
        if (info.st_size, info.st_mtime_ns) != (size, mtime):
            return False
    return True


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def compiled(arguments: tuple) -> "re.Pattern":
    """A pattern from its recorded constructor arguments (what `re.compile` would build)."""
    return _sre.compile(*arguments)


class Run:
    """One `cachelint check FILE...`: the files the full path would check, each proven clean."""

    def __init__(self, options: Options, store: dict) -> None:
        self.options = options
        self.store = store
        self.cwd = os.getcwd()
        self.patterns: dict[int, re.Pattern] = {}
        config = options.values.get("--config")
        if config is not None and not os.path.isfile(config):
            raise Undecided  # click reports it
        self.fixed = self.settings_of(config) if config is not None else None

    def checked_count(self) -> int:
        """How many files the full path would report as checked; raises Undecided unless all are clean."""
        force = "--force-exclude" in self.options.flags
        checked: set[str] = set()
        for given in self.options.paths:
            if not given.endswith(".py") or not os.path.lexists(given) or os.path.isdir(given):
                raise Undecided
            absolute = os.path.abspath(given)
            settings = self.settings_for(os.path.dirname(absolute))
            if (force or settings[FORCE_EXCLUDE]) and self.excluded(absolute, settings):
                continue
            if not os.path.isfile(given) or not self.clean(read_bytes(given), settings):
                raise Undecided
            checked.add(given)
        # Read after the files, as the full path does: the settings of the current directory.
        base = self.settings_for(self.cwd)
        if (self.options.values.get("--output-format") or base[OUTPUT_FORMAT] or "full") not in TEXT_FORMATS:
            raise Undecided
        if "--no-cache" not in self.options.flags and not self.cache_writable(base):
            raise Undecided  # the full path would warn that it cannot write the cache
        return len(checked)

    # -- settings, as cachelint.config.SettingsResolver.for_path finds them ------------------------

    def settings_for(self, directory: str) -> tuple:
        if self.fixed is not None:
            return self.fixed
        current = os.path.realpath(directory)
        while True:
            config = self.config_file(current)
            if config is not None:
                return self.settings_of(config)
            parent = os.path.dirname(current)
            if parent == current:
                return self.settings_of("")
            current = parent

    def config_file(self, directory: str) -> str | None:
        """cachelint.config.find_config_file, with the pyproject.toml verdicts the full path recorded."""
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if not os.path.isfile(candidate):
                continue
            if name != "pyproject.toml":
                return candidate
            try:
                data = read_bytes(candidate)
            except OSError:
                continue
            verdict = self.store["pyprojects"].get(data)
            if verdict is None:
                raise Undecided
            if verdict:
                return candidate
        return None

    def settings_of(self, config: str) -> tuple:
        """The recorded settings of a configuration file ("" for the defaults), if its bytes are unchanged."""
        config = os.path.realpath(config) if config else ""  # SettingsResolver keys files by their real path
        entry = self.store["settings"].get(config)
        if entry is None or (config and read_bytes(config) != entry[0]):
            raise Undecided
        record = entry[1]
        if record[ROOT] is None:  # the defaults apply from the current directory
            record = (os.path.realpath(self.cwd), *record[1:])
        return record

    # -- exclusions, as cachelint.discovery.discover applies them to a named file -------------------

    def excluded(self, absolute: str, settings: tuple) -> bool:
        """Settings.is_excluded_with_parents, then the .gitignore files (which must not match at all)."""
        root = settings[ROOT]
        current = absolute
        while True:
            if self.matches_exclude(current, settings):
                return True
            parent = os.path.dirname(current)
            if parent == current or parent == root or not is_below(current, root):
                break
            current = parent
        if settings[RESPECT_GITIGNORE]:
            self.check_gitignore(absolute)
        return False

    def matches_exclude(self, path: str, settings: tuple) -> bool:
        """cachelint.config.glob_match_any on the path relative to the settings' root."""
        real = os.path.realpath(path)
        rel = relative(real, settings[ROOT])
        if rel is None:
            rel = path
        by_name, by_path = self.store["excludes"][settings[EXCLUDES]]
        return bool(
            (by_name is not None and self.pattern(by_name).match(rel.rsplit("/", 1)[-1]))
            or (by_path is not None and self.pattern(by_path).match(rel))
        )

    def check_gitignore(self, absolute: str) -> None:
        """Raise Undecided unless no .gitignore pattern between the file and its work tree's root can match it.

        A pattern that cannot match leaves pathspec's verdict at "no opinion" whatever its rules for
        combining patterns, so only the patterns (recorded from pathspec) are needed, not those rules.
        """
        directory = os.path.dirname(absolute)
        repo = work_tree(directory)
        if repo is None:
            return
        while True:
            try:
                data = read_bytes(os.path.join(directory, ".gitignore"))
            except OSError:
                data = None
            if data is not None:
                patterns = self.store["gitignores"].get(data)
                rel = relative(absolute, directory)
                if patterns is None or rel is None or any(self.pattern(p).search(rel) for p in patterns):
                    raise Undecided
            parent = os.path.dirname(directory)
            if directory == repo or parent == directory:
                return
            directory = parent

    # -- the file itself ---------------------------------------------------------------------------

    def clean(self, data: bytes, settings: tuple) -> bool:
        """True only when the full path reports nothing for these bytes (see the module docstring)."""
        if b"\x00" in data or data.startswith(UTF8_BOM) or b"noqa" in data or b"cachelint:" in data:
            return False
        # tokenize.detect_encoding looks for a cookie in the first two lines only.
        if any(b"coding" in line for line in data.split(b"\n", 2)[:2]):
            return False
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return not self.may_contain_sink(data, settings[PREFILTER]) and python_accepts(text)

    def may_contain_sink(self, data: bytes, key: str) -> bool:
        """cachelint.engine.prefilter.may_contain_sink, on the recorded patterns."""
        vocabulary, spellings = self.store["prefilters"][key]
        present = set(self.pattern(vocabulary).findall(data))
        return any(words <= present and self.pattern(pattern).search(data) for words, pattern in spellings)

    def pattern(self, arguments: tuple) -> "re.Pattern":
        key = id(arguments)
        if key not in self.patterns:
            self.patterns[key] = compiled(arguments)
        return self.patterns[key]

    def cache_directory(self, base: tuple | None = None) -> str:
        """The result cache folder the full path would open (cachelint.cache.resolve_cache_dir)."""
        option = explicit_cache_dir(self.options)
        if option is not None:
            return option
        if base is None:
            base = self.settings_for(self.cwd)
        if base[CACHE_DIR]:
            return os.path.join(base[ROOT], base[CACHE_DIR])
        return os.path.join(git_root(self.cwd), CACHE_DIR_NAME)

    def cache_writable(self, base: tuple) -> bool:
        """Whether the result cache the full path would open can be written (else it warns on stderr)."""
        directory = self.cache_directory(base)
        # The cache writes its tag files into the folder and its entries below `v1`: for each, the
        # nearest folder that exists must let cachelint create what is missing.
        for target in (directory, os.path.join(directory, "v1")):
            current = os.path.abspath(target)
            while not os.path.lexists(current):
                current = os.path.dirname(current)
            if not (os.path.isdir(current) and os.access(current, os.W_OK | os.X_OK)):
                return False
        return True


def relative(path: str, root: str) -> str | None:
    """`Path(path).relative_to(root).as_posix()` for normalized absolute paths, or None outside `root`."""
    if path == root:
        return "."
    prefix = root if root.endswith("/") else root + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def is_below(path: str, root: str) -> bool:
    """`Path(root) in Path(path).parents`."""
    return path != root and relative(path, root) is not None


def work_tree(directory: str) -> str | None:
    """The nearest folder at or above `directory` with a `.git` (cachelint.discovery.GitIgnore._repo_root)."""
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def git_root(start: str) -> str:
    """cachelint.cli.project_root: the git work tree containing `start`, else `start`."""
    return work_tree(start) or start
