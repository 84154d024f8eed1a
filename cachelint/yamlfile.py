"""Safe YAML loading that remembers where each value came from, for error messages with lines.

Only plain data is built (no tags, no Python objects), anchors and aliases are refused (they are
how "billion laughs" bombs expand), and files above a size limit are refused before parsing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cachelint import yamlcache

if TYPE_CHECKING:
    import yaml

MAX_YAML_BYTES = 2 * 1024 * 1024


class DataError(Exception):
    """A config or rule file is wrong; the message names the file, the line and what is expected."""

    def __init__(self, filename: str, line: int | None, message: str) -> None:
        self.filename = filename
        self.line = line
        self.message = message
        where = f"{filename}:{line}" if line else filename
        super().__init__(f"{where}: {message}")


@dataclass
class Doc:
    """Loaded data plus a map from a key path (tuple of keys and indexes) to its 1-based line."""

    filename: str
    data: Any
    lines: dict[tuple[Any, ...], int]

    def line(self, path: tuple[Any, ...]) -> int | None:
        """The line of `path`, or of its closest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def error(self, path: tuple[Any, ...], message: str) -> DataError:
        return DataError(self.filename, self.line(path), message)


def load_yaml_text(text: str, filename: str) -> Doc:
    """Parse YAML text into plain data with line numbers; raise DataError on any problem."""
    # PyYAML is imported here: a warm start serves every file from cachelint.yamlcache without it.
    import yaml

    if len(text.encode("utf-8", "replace")) > MAX_YAML_BYTES:
        raise DataError(filename, None, f"file is larger than {MAX_YAML_BYTES // 1024} KiB")
    # libyaml's composer builds the same nodes (with line marks) about 20x faster; the pure-Python
    # one is the fallback.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataError(filename, line, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DataError(filename, None, f"invalid YAML: {exc}") from None
    except RecursionError:  # the pure-Python composer, where libyaml is missing
        raise DataError(filename, None, "invalid YAML: nested too deeply") from None
    lines: dict[tuple[Any, ...], int] = {}
    if node is None:
        return Doc(filename, None, lines)
    try:
        data = _to_data(node, (), lines, filename, set(), yaml.constructor.SafeConstructor())
    except RecursionError:
        # libyaml allows 1,000 levels; converting them recursively needs more than Python has.
        raise DataError(filename, None, "invalid YAML: nested too deeply") from None
    return Doc(filename, data, lines)


def load_yaml_file(path: Path) -> Doc:
    """Read and parse a YAML file; unreadable files raise DataError too.

    What a successful load returned is kept for these exact bytes between runs (cachelint.yamlcache).
    """
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise DataError(str(path), None, f"file is larger than {MAX_YAML_BYTES // 1024} KiB")
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(str(path), None, f"cannot read file: {exc.strerror or exc}") from None
    cached = yamlcache.lookup(data)
    if cached is not None:
        return Doc(str(path), *cached)
    try:
        # What `path.read_text(encoding="utf-8")` returns (universal newlines), from the bytes read once.
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
    except UnicodeDecodeError:
        raise DataError(str(path), None, "file is not valid UTF-8") from None
    doc = load_yaml_text(text, str(path))
    yamlcache.remember(data, doc.data, doc.lines)
    return doc


def _to_data(
    node: yaml.Node,
    path: tuple[Any, ...],
    lines: dict[tuple[Any, ...], int],
    filename: str,
    seen: set[int],
    constructor: yaml.constructor.SafeConstructor,
) -> Any:
    import yaml  # already loaded by load_yaml_text (see there)

    if id(node) in seen:
        raise DataError(filename, node.start_mark.line + 1, "YAML anchors and aliases are not supported")
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise DataError(filename, key_node.start_mark.line + 1, "mapping keys must be plain scalars")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DataError(filename, key_node.start_mark.line + 1, "YAML merge keys (<<) are not supported")
            key = _scalar(key_node, filename, constructor)
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _to_data(value_node, path + (key,), lines, filename, seen, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_data(item, path + (i,), lines, filename, seen, constructor) for i, item in enumerate(node.value)
        ]
    return _scalar(node, filename, constructor)


def _scalar(node: yaml.Node, filename: str, constructor: yaml.constructor.SafeConstructor) -> Any:
    import yaml

    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise DataError(filename, node.start_mark.line + 1, f"invalid value: {exc}") from None
    except (ValueError, TypeError, OverflowError) as exc:  # an explicit tag PyYAML cannot convert: `!!int nope`
        raise DataError(filename, node.start_mark.line + 1, f"invalid value for {node.tag}: {exc}") from None
