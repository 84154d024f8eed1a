"""CL410 in the config files where prompt caching is really switched off.

Claude Code reads `DISABLE_PROMPT_CACHING*` from its environment, and that environment is more
often written in a config file than in Python: a `.env` file, the `env` of Claude Code's settings
(`.claude/settings.json`, `.claude/settings.local.json`, `managed-settings.json`), a docker
compose service's `environment:` or a GitHub Actions `env:`. Each format is read by a small
parser that keeps positions, so findings point at the entry and `# noqa` comments work where the
format has comments (JSON has none). The switch names and values come from `rules/switches.yaml`.
Nothing here writes files: these findings carry no fix.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cachelint.diagnostics import Diagnostic, FileResult, Location
from cachelint.yamlfile import MAX_YAML_BYTES

# Discovery imports this module for `config_kind`, so the checker's own imports (the engine, the
# switch data) wait until a config file is checked.
if TYPE_CHECKING:
    from cachelint.catalogue import Catalogue, Rule
    from cachelint.engine.suppressions import Comments

# The rules that read config files; discovery picks such files up only when one is enabled.
CONFIG_RULES = frozenset({"CL410"})
DOTENV, CLAUDE_SETTINGS, COMPOSE, WORKFLOW = "dotenv", "claude-settings", "compose", "workflow"
# How a message says where the switch is set, per kind.
WHERE = {
    DOTENV: "in an env file",
    CLAUDE_SETTINGS: "in the `env` of Claude Code's settings",
    COMPOSE: "in a compose service's `environment`",
    WORKFLOW: "in a workflow `env`",
}
# The YAML key that holds a process environment, per kind.
ENV_KEYS = {COMPOSE: "environment", WORKFLOW: "env"}
# Patterns are compiled at first use (`re` keeps them): most runs meet no config file at all.
COMPOSE_NAME = r"(docker-)?compose(\.[\w-]+)*\.ya?ml"
PYTHON_NAMES = (".py", ".pyi", ".ipynb")
DOTENV_ASSIGN = r"[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*"
JSON_TOKEN = r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|-?\d[\d.eE+-]*|true|false|null'


def config_kind(path: Path) -> str | None:
    """The kind of config file `path` is, by its name (and folder), or None for any other file."""
    name = path.name
    if name.endswith(PYTHON_NAMES):
        return None
    if name == ".env" or name.startswith(".env.") or (name.endswith(".env") and len(name) > len(".env")):
        return DOTENV
    # A bare `settings.json` is anybody's (VS Code's, an app's); Claude Code's live in `.claude/`.
    if name == "managed-settings.json" or (name in ("settings.json", "settings.local.json") and path.parent.name == ".claude"):
        return CLAUDE_SETTINGS
    if re.fullmatch(COMPOSE_NAME, name):
        return COMPOSE
    if path.suffix in (".yml", ".yaml") and path.parent.name == "workflows" and path.parent.parent.name == ".github":
        return WORKFLOW
    return None


def comments_allowed(path: Path) -> bool:
    """Whether a `# noqa` comment can be added to this file (JSON has no comments)."""
    return config_kind(path) != CLAUDE_SETTINGS


class Entry:
    """One variable set in a file: its name, its value as text, and the span of the entry (1-based)."""

    # A plain class: a dataclass or NamedTuple compiles code at import, which every run would pay.
    __slots__ = ("name", "value", "start", "end")

    def __init__(self, name: str, value: str, start: Location, end: Location) -> None:
        self.name, self.value, self.start, self.end = name, value, start, end


class Unreadable(Exception):
    """The file is not valid in its format; it becomes a CL003 finding at `line`, `column`."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def check_config(data: bytes, filename: str, kind: str, catalogue: Catalogue, enabled: frozenset[str]) -> FileResult:
    """CL410 findings (and CL002/CL003) of one config file of `kind` (see `config_kind`); never raises for bad input."""
    from cachelint.engine import apply_suppressions
    from cachelint.switches import load_switches

    rules = {code: rule for code, rule in catalogue.by_code().items() if code in enabled}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return FileResult(filename, _unreadable(rules, filename, Unreadable(f"File is not valid UTF-8 ({exc.reason}); it was not analysed")))
    try:
        entries, comments = _read(kind, text)
    except Unreadable as problem:
        return FileResult(filename, _unreadable(rules, filename, problem), text)
    rule = rules.get("CL410")
    switches = load_switches()
    found = []
    for entry in entries:
        switch = switches.get(entry.name)
        if rule is not None and switch is not None and switch.is_on(entry.value):
            found.append(rule.point(filename, entry.start.row, entry.start.column, switch.message(entry.value, WHERE[kind]), end=entry.end))
    known = frozenset(catalogue.by_code())
    return FileResult(filename, apply_suppressions(found, _suppressions(comments), {}, rules, known, filename), text)


def _read(kind: str, text: str) -> tuple[list[Entry], list[tuple[int, int, str, bool]]]:
    """The variables a file sets, and its comments as (row, 0-based column, text, alone on its line)."""
    if kind == CLAUDE_SETTINGS:
        return _settings_entries(text), []
    if kind in ENV_KEYS:
        return _yaml_entries(text, ENV_KEYS[kind]), _yaml_comments(text)
    return _dotenv(text)


def _unreadable(rules: dict[str, Rule], filename: str, problem: Unreadable) -> list[Diagnostic]:
    rule = rules.get("CL003")
    return [rule.point(filename, problem.line, problem.column, str(problem))] if rule is not None else []


# ---------------------------------------------------------------------- .env files
def _dotenv(text: str) -> tuple[list[Entry], list[tuple[int, int, str, bool]]]:
    """`NAME=value` lines (optionally `export`ed, the value quoted or not) and `#` comments."""
    entries: list[Entry] = []
    comments: list[tuple[int, int, str, bool]] = []
    open_quote: str | None = None  # inside a quoted value that spans lines: nothing there sets a variable
    for row, line in enumerate(text.splitlines(), start=1):
        if open_quote is not None:
            if _closing_quote(line, 0, open_quote) is not None:
                open_quote = None
            continue
        if line.lstrip().startswith("#"):
            column = len(line) - len(line.lstrip())
            comments.append((row, column, line[column:], True))
            continue
        match = re.match(DOTENV_ASSIGN, line)
        if match is None:
            continue
        start = match.end()
        quote = line[start : start + 1]
        if quote in ("'", '"'):
            close = _closing_quote(line, start + 1, quote)
            if close is None:
                open_quote = quote
                continue
            value, value_end = line[start + 1 : close], close + 1
            hash_at = line.find("#", value_end)
        else:
            # An unquoted value ends where a comment starts: `#` after whitespace.
            inline = re.search(r"[ \t]#", line[start:])
            hash_at = start + inline.start() + 1 if inline else -1
            raw = line[start:hash_at] if inline else line[start:]
            value, value_end = raw.strip(), start + len(raw.rstrip())
        if hash_at >= 0:
            comments.append((row, hash_at, line[hash_at:], False))
        entries.append(Entry(match.group(1), value, Location(row, match.start(1) + 1), Location(row, value_end + 1)))
    return entries, comments


def _closing_quote(line: str, start: int, quote: str) -> int | None:
    """Index of the quote that closes a value opened before `start` (a backslash escapes in double quotes)."""
    i = start
    while i < len(line):
        if line[i] == "\\" and quote == '"':
            i += 2
            continue
        if line[i] == quote:
            return i
        i += 1
    return None


# ---------------------------------------------------------------------- Claude Code settings (JSON)
def _settings_entries(text: str) -> list[Entry]:
    """The members of the top-level `env` object, with their positions."""
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"Not valid JSON ({exc.msg}); it was not analysed", exc.lineno, exc.colno) from None
    except RecursionError:
        raise Unreadable("Not valid JSON (nested too deeply); it was not analysed") from None
    env = settings.get("env") if isinstance(settings, dict) else None
    if not isinstance(env, dict):
        return []
    spans = _json_member_spans(text)
    starts = _line_starts(text)
    entries = []
    for name, value in env.items():
        span = spans.get(("env", name))
        if span is not None:
            entries.append(Entry(name, _env_text(value), _location(starts, span[0]), _location(starts, span[1])))
    return entries


def _env_text(value: object) -> str:
    """A JSON value as the environment variable it becomes (JavaScript's `String(value)`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _json_member_spans(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """(start, end) offsets of every object member `"key": value` of valid JSON, by its path of keys.

    `json` keeps no positions; the text is already known to be valid, so a token scan suffices.
    Array elements add "[]" to the path; a member whose value is an object or array spans its key.
    """
    spans: dict[tuple[str, ...], tuple[int, int]] = {}
    containers: list[tuple[str, ...]] = []
    member: tuple[str, ...] | None = None  # the member whose value comes next
    tokens = list(re.finditer(JSON_TOKEN, text))
    for i, token in enumerate(tokens):
        value = token.group()
        if value in ("{", "["):
            if member is not None:
                containers.append(member)
            else:
                containers.append(containers[-1] + ("[]",) if containers else ())
            member = None
        elif value in ("}", "]"):
            containers.pop()
        elif value.startswith('"') and i + 1 < len(tokens) and tokens[i + 1].group() == ":":
            member = containers[-1] + (json.loads(value),)
            spans[member] = (token.start(), token.end())
        elif value not in (":", ","):
            if member is not None:
                spans[member] = (spans[member][0], token.end())
            member = None
    return spans


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def _location(starts: list[int], offset: int) -> Location:
    import bisect

    row = bisect.bisect_right(starts, offset)
    return Location(row, offset - starts[row - 1] + 1)


# ---------------------------------------------------------------------- compose files and workflows (YAML)
def _yaml_entries(text: str, env_key: str) -> list[Entry]:
    """Every variable set under an `env_key:` mapping or `- NAME=value` list, at any depth.

    The node graph is walked without building Python data: an alias is the same node as its
    anchor, so a shared `environment` block is read once, and YAML bombs expand nothing.
    """
    import yaml

    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise Unreadable(f"File is larger than {MAX_YAML_BYTES // 1024} KiB; it was not analysed")
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise Unreadable(f"Not valid YAML ({exc.problem}); it was not analysed", mark.line + 1 if mark else 1, mark.column + 1 if mark else 1) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise Unreadable(f"Not valid YAML ({exc.__class__.__name__}); it was not analysed") from None
    entries: list[Entry] = []
    seen: set[int] = set()
    read: set[int] = set()  # environment blocks already read: an anchored one shared by services counts once
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == env_key:
                    try:
                        entries.extend(_environment(value, yaml, read))
                    except RecursionError:  # a chain of `<<` merges deeper than Python's stack
                        raise Unreadable("`<<` merges nested too deeply to follow; it was not analysed") from None
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(entries, key=lambda e: (e.start.row, e.start.column))


def _environment(node: Any, yaml: Any, seen: set[int]) -> list[Entry]:
    """The variables of one environment block: a mapping (with `<<` merges) or a list of `NAME=value`."""
    if id(node) in seen:
        return []
    seen.add(id(node))
    out: list[Entry] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.value == "<<":  # merged from an anchored mapping (or a list of them)
                for merged in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                    out.extend(_environment(merged, yaml, seen))
            elif isinstance(value, yaml.ScalarNode):
                # The scalar's text, not its YAML type: `1`, `true` and `"1"` all reach the process as text.
                out.append(Entry(key.value, value.value, _mark(key.start_mark), _mark(value.end_mark)))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and "=" in item.value:
                name, _, value = item.value.partition("=")
                out.append(Entry(name.strip(), value, _mark(item.start_mark), _mark(item.end_mark)))
    return out


def _mark(mark: Any) -> Location:
    return Location(mark.line + 1, mark.column + 1)


def _yaml_comments(text: str) -> list[tuple[int, int, str, bool]]:
    out = []
    for row, line in enumerate(text.splitlines(), start=1):
        column = _yaml_comment_column(line)
        if column is not None:
            out.append((row, column, line[column:], line[:column].strip() == ""))
    return out


def _yaml_comment_column(line: str) -> int | None:
    """Where a `#` comment starts on a YAML line, outside quoted scalars (None if there is none)."""
    quote: str | None = None
    i = 0
    while i < len(line):
        ch = line[i]
        before = line[i - 1] if i else " "
        if quote is not None:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"" and before in " \t[{,:":
            quote = ch  # a quote opens a scalar only where a scalar can start (not the `'` of "it's")
        elif ch == "#" and before in " \t":
            return i
        i += 1
    return None


# ---------------------------------------------------------------------- suppressions
def _suppressions(comments: list[tuple[int, int, str, bool]]) -> Comments:
    """`# noqa: CL410` and `# cachelint: ignore[CL410]` comments, read as the engine reads Python's."""
    from cachelint.engine.suppressions import Comments, directives

    return Comments([d for row, column, text, own_line in comments for d in directives(row, column, text, own_line)], {})
