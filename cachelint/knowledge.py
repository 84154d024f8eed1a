"""Sources, sinks, sanitizers and propagators: loaded from `rules/*.yaml`, validated, extendable.

Everything the dataflow engine knows about libraries lives here as data, so a new SDK or a new
volatile function needs a YAML entry, not Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cachelint.diagnostics import SEGMENTS, SEVERITIES
from cachelint.rulefiles import rules_dir
from cachelint.yamlfile import Doc, load_yaml_file

GRANULARITIES = ("microsecond", "second", "minute", "hour", "day", "week", "month", "year")
LAYOUTS = ("whole", "history", "chat", "blocks")
PROVIDERS = ("anthropic", "bedrock", "openai", "langchain", "pydantic-ai", "custom")


@dataclass(frozen=True)
class Source:
    """A volatile value: a call, a method or a name, and the rule that reports it."""

    call: str
    rule: str
    kind: str
    granularity: str | None = None
    returns: str | None = None
    except_args: int = 0  # not volatile when called with at least this many arguments (0: always volatile)
    method: str | None = None
    severity: str | None = None
    name: str | None = None
    in_loop: bool = False
    arg_matches: str | None = None
    arg_lacks: str | None = None
    in_place: bool = False
    names_only: bool = False  # the result names entries of its argument without the argument's path

    def volatile_with(self, n_args: int) -> bool:
        """Whether a call with `n_args` arguments is volatile (`time.localtime(ts)` converts `ts`)."""
        return not (self.except_args and n_args >= self.except_args)

    def applies(self, first_arg: str | None, in_loop: bool) -> bool:
        """Conditions beyond the name: only inside a loop; the first argument's text (a SQL query)."""
        if self.in_loop and not in_loop:
            return False
        if self.arg_matches is not None and (first_arg is None or not re.search(self.arg_matches, first_arg)):
            return False
        return not (self.arg_lacks is not None and first_arg is not None and re.search(self.arg_lacks, first_arg))

    def matches(self, qualname: str) -> bool:
        if self.method is not None or self.name is not None:
            return False
        if self.call.endswith(".*"):
            prefix = self.call[:-1]
            return qualname.startswith(prefix) and "." not in qualname[len(prefix) :]
        return qualname == self.call


@dataclass(frozen=True)
class SinkArgument:
    """An argument of a sink and the prefix segment it fills."""

    name: str
    segment: str
    layout: str = "whole"
    position: int | None = None
    path: tuple[str, ...] = ()
    template: bool = False  # `{name}` placeholders in its text are filled per request (LangChain)


@dataclass(frozen=True)
class RunState:
    """Parameters annotated `annotation` carry, under `.attribute`, state a run may change."""

    annotation: str
    attribute: str
    # Only when the decorator is given this keyword as True (`@agent.system_prompt(dynamic=True)`
    # runs again at the start of every run); None: always.
    when: str | None = None


@dataclass(frozen=True)
class Sink:
    """A call that sends a request, and which of its arguments is which prefix segment."""

    id: str
    provider: str
    methods: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    arguments: tuple[SinkArgument, ...] = ()
    run_state: RunState | None = None
    # Methods of what the call returns (a prompt template) that fill its `{name}` placeholders,
    # and those of them that return the template, partly filled (`partial`).
    fills: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()
    # Base classes whose subclasses define a prompt segment in class attributes (a CrewAI
    # `BaseTool` subclass's `description`): the attributes named in `arguments`.
    bases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shape:
    """A dict literal that is a prompt segment wherever it is built (a system message, a tool)."""

    id: str
    when: tuple[tuple[str, tuple[str, ...] | None], ...]
    any_of: tuple[str, ...]
    fields: tuple[str, ...]
    segment: str
    form: str = "dict"  # or "tuple": `when` and `fields` name positions ("0", "1"), as in ("system", text)
    # Only in a file that names one of these packages (LangChain's pairs, not any tuple of words).
    packages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sanitizer:
    """A call whose result is free of what `removes` names in its argument (everything, order, rules)."""

    call: str
    removes: tuple[str, ...] = ("all",)
    method: str | None = None


@dataclass(frozen=True)
class Serializer:
    """A call that writes a dict in insertion order; safe when `unless` keyword has that value."""

    call: str
    unless: tuple[str, object] | None = None
    default_safe: bool = False
    # Also reports a value read out of such a dict when it is the one serialized (a JSON column).
    parts: bool = False


@dataclass(frozen=True)
class UnorderedDict:
    """Where dicts of unfixed key order come from (parsed JSON, database rows)."""

    call: str | None
    method: str | None
    kind: str
    one: bool = False  # returns a single record: the order the query returned records in does not matter


@dataclass(frozen=True)
class Forwarder:
    """A call that calls the callable it is given with the rest of its arguments
    (`asyncio.to_thread(client.messages.create, model=...)`): analysed as that call."""

    call: str | None
    method: str | None
    callable: int  # the position of the callable among the positional arguments


@dataclass(frozen=True)
class Propagator:
    """A call whose result carries what its argument carries, through its structure, elements or text (`keeps`)."""

    call: str
    keeps: str
    format_arg: int | None = None
    value_arg: int = 0  # which argument's value the result carries


_UNKNOWN: Any = object()


@dataclass(frozen=True)
class SinkLookup:
    """Where a call can match a sink: the first sink naming it, and by a method's last part the
    sinks (in order) whose method ends so, with the method's parts."""

    by_call: dict[str, int]
    by_method: dict[str, list[tuple[int, tuple[str, ...]]]]


@dataclass(frozen=True)
class Knowledge:
    """Everything the engine needs to know about libraries; frozen so it can key caches."""

    sources: tuple[Source, ...]
    sinks: tuple[Sink, ...]
    sanitizers: tuple[Sanitizer, ...]
    propagators: tuple[Propagator, ...]
    clock_methods: tuple[tuple[str, str | int], ...]
    clock_attributes: tuple[tuple[str, str], ...]
    shapes: tuple[Shape, ...] = ()
    serializers: tuple[Serializer, ...] = ()
    unordered_dicts: tuple[UnorderedDict, ...] = ()
    breakpoint_keys: tuple[str, ...] = ()
    forwarders: tuple[Forwarder, ...] = ()
    files: tuple[str, ...] = field(default=())
    # source_for's answers: every call in every analysed file asks, and the scan is linear.
    _sources_by_call: dict[str, Source | None] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __hash__(self) -> int:
        # The prefilter's caches hash the knowledge for every file checked; hashing every source and
        # sink took 40 us each time. Equal knowledge has equal files and counts, so this is a valid
        # hash; two that differ only inside their entries compare with __eq__ as any collision does.
        return hash((self.files, len(self.sources), len(self.sinks), len(self.sanitizers)))

    def source_for(self, qualname: str) -> Source | None:
        known = self._sources_by_call.get(qualname, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        found = next((source for source in self.sources if source.matches(qualname)), None)
        self._sources_by_call[qualname] = found
        return found

    @cached_property
    def sink_lookup(self) -> SinkLookup:
        """The sinks indexed by call name and by the last part of their methods."""
        by_call: dict[str, int] = {}
        by_method: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for position, sink in enumerate(self.sinks):
            for call in sink.calls:
                by_call.setdefault(call, position)
            for method in sink.methods:
                parts = tuple(method.split("."))
                by_method.setdefault(parts[-1], []).append((position, parts))
        return SinkLookup(by_call, by_method)

    def name_source_for(self, name: str) -> Source | None:
        for source in self.sources:
            if source.name == name:
                return source
        return None

    def method_source_for(self, name: str, first_arg: str | None = None, in_loop: bool = False) -> Source | None:
        for source in self.sources:
            if source.method == name and source.applies(first_arg, in_loop):
                return source
        return None

    def sanitizer_for(self, qualname: str) -> Sanitizer | None:
        for item in self.sanitizers:
            if item.method is None and item.call == qualname:
                return item
        return None

    def method_sanitizer_for(self, name: str) -> Sanitizer | None:
        for item in self.sanitizers:
            if item.method == name:
                return item
        return None

    def serializer_for(self, qualname: str) -> Serializer | None:
        for item in self.serializers:
            if item.call == qualname:
                return item
        return None

    def unordered_dict_for(self, qualname: str | None, method: str | None) -> UnorderedDict | None:
        for item in self.unordered_dicts:
            if (qualname is not None and item.call == qualname) or (method is not None and item.method == method):
                return item
        return None

    def propagator_for(self, qualname: str) -> Propagator | None:
        for item in self.propagators:
            if item.call == qualname:
                return item
        return None


def load_knowledge(
    extend_sources: list[Any] | None = None,
    extend_sinks: list[Any] | None = None,
    extend_sanitizers: list[Any] | None = None,
    origin: Doc | None = None,
) -> Knowledge:
    """Load the shipped rule data and append a user's extensions; raise DataError on bad data."""
    base = rules_dir()
    src_doc = load_yaml_file(base / "sources.yaml")
    sink_doc = load_yaml_file(base / "sinks.yaml")
    san_doc = load_yaml_file(base / "sanitizers.yaml")
    sources = [_source(src_doc, ("sources", i), e) for i, e in enumerate(_list(src_doc, "sources"))]
    sinks = [_sink(sink_doc, ("sinks", i), e) for i, e in enumerate(_list(sink_doc, "sinks"))]
    sanitizers = [_sanitizer(san_doc, ("sanitizers", i), e) for i, e in enumerate(_list(san_doc, "sanitizers"))]
    propagators = [_propagator(san_doc, ("propagators", i), e) for i, e in enumerate(_list(san_doc, "propagators"))]
    serializers = [_serializer(san_doc, ("serializers", i), e) for i, e in enumerate(_list(san_doc, "serializers"))]
    unordered = [_unordered(san_doc, ("unordered-dicts", i), e) for i, e in enumerate(_list(san_doc, "unordered-dicts"))]
    shapes = [_shape(sink_doc, ("shapes", i), e) for i, e in enumerate(_list(sink_doc, "shapes"))]
    forwarders = [_forwarder(sink_doc, ("forwarders", i), e) for i, e in enumerate(_list(sink_doc, "forwarders"))]
    user = origin or Doc("configuration", {}, {})
    sources += [_source(user, ("extend-sources", i), e) for i, e in enumerate(extend_sources or [])]
    sinks += [_sink(user, ("extend-sinks", i), e) for i, e in enumerate(extend_sinks or [])]
    sanitizers += [_sanitizer(user, ("extend-sanitizers", i), e) for i, e in enumerate(extend_sanitizers or [])]
    return Knowledge(
        sources=tuple(sources),
        sinks=tuple(sinks),
        sanitizers=tuple(sanitizers),
        propagators=tuple(propagators),
        clock_methods=tuple(_clock_methods(san_doc)),
        clock_attributes=tuple(_clock_attributes(san_doc)),
        shapes=tuple(shapes),
        breakpoint_keys=_str_list(sink_doc, ("breakpoint-keys",), sink_doc.data.get("breakpoint-keys", [])),
        forwarders=tuple(forwarders),
        serializers=tuple(serializers),
        unordered_dicts=tuple(unordered),
        files=tuple(str(base / n) for n in ("sources.yaml", "sinks.yaml", "sanitizers.yaml")),
    )


def _list(doc: Doc, key: str) -> list[Any]:
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get(key), list):
        raise doc.error((key,), f"expected a top-level `{key}:` list")
    return doc.data[key]


def _mapping(doc: Doc, path: tuple[Any, ...], entry: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    where = _where(path)
    if not isinstance(entry, dict):
        raise doc.error(path, f"{where}: expected a mapping with keys {', '.join(sorted(allowed))}")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise doc.error(path + (unknown[0],), f"{where}: unknown key `{unknown[0]}`; allowed: {', '.join(sorted(allowed))}")
    missing = sorted(required - set(entry))
    if missing:
        raise doc.error(path, f"{where}: missing required key `{missing[0]}`")
    return entry


def _where(path: tuple[Any, ...]) -> str:
    return f"{path[0]}[{path[1]}]" if len(path) > 1 else str(path[0])


def _str(doc: Doc, path: tuple[Any, ...], value: Any, allowed: tuple[str, ...] | None = None) -> str:
    if not isinstance(value, str) or not value:
        raise doc.error(path, f"{_where(path)}: `{path[-1]}` must be a non-empty string")
    if allowed is not None and value not in allowed:
        raise doc.error(path, f"{_where(path)}: `{path[-1]}` must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _str_list(doc: Doc, path: tuple[Any, ...], value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise doc.error(path, f"{_where(path)}: `{path[-1]}` must be a list of strings")
    return tuple(value)


def _source(doc: Doc, path: tuple[Any, ...], entry: Any) -> Source:
    e = _mapping(
        doc, path, entry, {"call", "method", "name", "rule", "kind", "granularity", "returns", "except-args", "severity", "in-loop", "arg-matches", "arg-lacks", "in-place", "names-only"}, {"rule"}
    )
    for key in ("arg-matches", "arg-lacks"):
        if key in e:
            try:
                re.compile(_str(doc, path + (key,), e[key]))
            except re.error as exc:
                raise doc.error(path + (key,), f"{_where(path)}: `{key}` is not a valid regular expression: {exc}") from None
    if sum(k in e for k in ("call", "method", "name")) != 1:
        raise doc.error(path, f"{_where(path)}: a source needs exactly one of `call`, `method` or `name`")
    severity = e.get("severity")
    if severity is not None:
        _str(doc, path + ("severity",), severity, SEVERITIES)
    granularity = e.get("granularity")
    if granularity is not None:
        _str(doc, path + ("granularity",), granularity, GRANULARITIES + ("from-format",))
    rule = _str(doc, path + ("rule",), e["rule"])
    if not (rule[:3] in ("CL1", "CL2") and len(rule) == 5 and rule[2:].isdigit()):
        raise doc.error(path + ("rule",), f"{_where(path)}: `rule` must be a CL1xx or CL2xx code, got {rule!r}")
    except_args = e.get("except-args", False)
    if not (isinstance(except_args, bool) or isinstance(except_args, int) and except_args >= 1):
        raise doc.error(path + ("except-args",), f"{_where(path)}: `except-args` must be true, false or a number of arguments (1 or more)")
    in_place = e.get("in-place", False)
    if not isinstance(in_place, bool):
        raise doc.error(path + ("in-place",), f"{_where(path)}: `in-place` must be true or false")
    names_only = e.get("names-only", False)
    if not isinstance(names_only, bool):
        raise doc.error(path + ("names-only",), f"{_where(path)}: `names-only` must be true or false")
    if in_place and "call" not in e:
        raise doc.error(path + ("in-place",), f"{_where(path)}: `in-place` needs `call` (the argument changed is the first one)")
    return Source(
        call=_str(doc, path + ("call",), e["call"]) if "call" in e else "",
        method=_str(doc, path + ("method",), e["method"]) if "method" in e else None,
        name=_str(doc, path + ("name",), e["name"]) if "name" in e else None,
        in_loop=bool(e.get("in-loop", False)),
        arg_matches=e.get("arg-matches"),
        arg_lacks=e.get("arg-lacks"),
        severity=severity,
        rule=rule,
        kind=_str(doc, path + ("kind",), e.get("kind", "volatile value")),
        granularity=granularity,
        returns=e.get("returns"),
        except_args=int(except_args),
        in_place=in_place,
        names_only=names_only,
    )


def _sink(doc: Doc, path: tuple[Any, ...], entry: Any) -> Sink:
    e = _mapping(doc, path, entry, {"id", "provider", "methods", "calls", "decorators", "bases", "requires", "arguments", "run-state", "fills", "keeps"}, {"id", "arguments"})
    methods = _str_list(doc, path + ("methods",), e.get("methods", []))
    calls = _str_list(doc, path + ("calls",), e.get("calls", []))
    decorators = _str_list(doc, path + ("decorators",), e.get("decorators", []))
    bases = _str_list(doc, path + ("bases",), e.get("bases", []))
    if not methods and not calls and not decorators and not bases:
        raise doc.error(path, f"{_where(path)}: a sink needs `methods`, `calls`, `decorators` or `bases`")
    args = e["arguments"]
    if not isinstance(args, list) or not args:
        raise doc.error(path + ("arguments",), f"{_where(path)}: `arguments` must be a non-empty list")
    arguments = tuple(_sink_argument(doc, path + ("arguments", i), a) for i, a in enumerate(args))
    return Sink(
        id=_str(doc, path + ("id",), e["id"]),
        provider=_str(doc, path + ("provider",), e.get("provider", "custom"), PROVIDERS),
        methods=methods,
        calls=calls,
        decorators=decorators,
        requires=_str_list(doc, path + ("requires",), e.get("requires", [])),
        arguments=arguments,
        run_state=_run_state(doc, path + ("run-state",), e["run-state"]) if "run-state" in e else None,
        fills=_str_list(doc, path + ("fills",), e.get("fills", [])),
        keeps=_str_list(doc, path + ("keeps",), e.get("keeps", [])),
        bases=bases,
    )


def _run_state(doc: Doc, path: tuple[Any, ...], entry: Any) -> RunState:
    e = _mapping(doc, path, entry, {"annotation", "attribute", "when"}, {"annotation", "attribute"})
    return RunState(
        annotation=_str(doc, path + ("annotation",), e["annotation"]),
        attribute=_str(doc, path + ("attribute",), e["attribute"]),
        when=_str(doc, path + ("when",), e["when"]) if "when" in e else None,
    )


def _sink_argument(doc: Doc, path: tuple[Any, ...], entry: Any) -> SinkArgument:
    e = _mapping(doc, path, entry, {"name", "segment", "layout", "position", "path", "template"}, {"name", "segment"})
    position = e.get("position")
    if position is not None and (not isinstance(position, int) or isinstance(position, bool) or position < 0):
        raise doc.error(path + ("position",), f"{_where(path)}: `position` must be a non-negative integer")
    return SinkArgument(
        name=_str(doc, path + ("name",), e["name"]),
        segment=_str(doc, path + ("segment",), e["segment"], SEGMENTS),
        layout=_str(doc, path + ("layout",), e.get("layout", "whole"), LAYOUTS),
        position=position,
        path=_str_list(doc, path + ("path",), e.get("path", [])),
        template=bool(e.get("template", False)),
    )


def _sanitizer(doc: Doc, path: tuple[Any, ...], entry: Any) -> Sanitizer:
    e = _mapping(doc, path, entry, {"call", "method", "removes"}, set())
    if ("call" in e) == ("method" in e):
        raise doc.error(path, f"{_where(path)}: a sanitizer needs exactly one of `call` or `method`")
    removes = _str_list(doc, path + ("removes",), e.get("removes", ["all"]))
    for i, r in enumerate(removes):
        if r not in ("all", "order") and not (len(r) == 5 and r.startswith("CL") and r[2:].isdigit()):
            raise doc.error(path + ("removes", i), f"{_where(path)}: `removes` entries must be all, order or a rule code, got {r!r}")
    return Sanitizer(
        call=_str(doc, path + ("call",), e["call"]) if "call" in e else "",
        method=_str(doc, path + ("method",), e["method"]) if "method" in e else None,
        removes=removes,
    )


def _serializer(doc: Doc, path: tuple[Any, ...], entry: Any) -> Serializer:
    e = _mapping(doc, path, entry, {"call", "unless", "default-safe", "parts"}, {"call"})
    unless = e.get("unless")
    if unless is not None and not (isinstance(unless, dict) and len(unless) == 1):
        raise doc.error(path + ("unless",), f"{_where(path)}: `unless` must map one keyword to its safe value")
    return Serializer(
        call=_str(doc, path + ("call",), e["call"]),
        unless=next(iter(unless.items())) if unless else None,
        default_safe=bool(e.get("default-safe", False)),
        parts=bool(e.get("parts", False)),
    )


def _unordered(doc: Doc, path: tuple[Any, ...], entry: Any) -> UnorderedDict:
    e = _mapping(doc, path, entry, {"call", "method", "kind", "one"}, {"kind"})
    if ("call" in e) == ("method" in e):
        raise doc.error(path, f"{_where(path)}: needs exactly one of `call` or `method`")
    return UnorderedDict(call=e.get("call"), method=e.get("method"), kind=_str(doc, path + ("kind",), e["kind"]), one=bool(e.get("one", False)))


def _forwarder(doc: Doc, path: tuple[Any, ...], entry: Any) -> Forwarder:
    e = _mapping(doc, path, entry, {"call", "method", "callable"}, {"callable"})
    if ("call" in e) == ("method" in e):
        raise doc.error(path, f"{_where(path)}: needs exactly one of `call` or `method`")
    position = e["callable"]
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise doc.error(path + ("callable",), f"{_where(path)}: `callable` must be the position (0, 1, ...) of the callable argument")
    call = _str(doc, path + ("call",), e["call"]) if "call" in e else None
    method = _str(doc, path + ("method",), e["method"]) if "method" in e else None
    return Forwarder(call=call, method=method, callable=position)


def _shape(doc: Doc, path: tuple[Any, ...], entry: Any) -> Shape:
    e = _mapping(doc, path, entry, {"id", "when", "any-of", "fields", "segment", "form", "packages"}, {"id", "when", "fields", "segment"})
    when = e["when"]
    if not isinstance(when, dict) or not when:
        raise doc.error(path + ("when",), f"{_where(path)}: `when` must map keys to allowed values or `any`")
    conditions = tuple((str(k), None if v == "any" else _str_list(doc, path + ("when", k), v)) for k, v in when.items())
    form = _str(doc, path + ("form",), e.get("form", "dict"), ("dict", "tuple"))
    fields = _str_list(doc, path + ("fields",), [str(f) for f in e["fields"]] if isinstance(e["fields"], list) else e["fields"])
    if form == "tuple" and not all(k.isdigit() for k in (*(k for k, _ in conditions), *fields)):
        raise doc.error(path + ("form",), f"{_where(path)}: a `tuple` shape names positions (0, 1, ...) in `when` and `fields`")
    return Shape(
        id=_str(doc, path + ("id",), e["id"]),
        when=conditions,
        any_of=_str_list(doc, path + ("any-of",), e.get("any-of", [])),
        fields=fields,
        segment=_str(doc, path + ("segment",), e["segment"], SEGMENTS),
        form=form,
        packages=_str_list(doc, path + ("packages",), e.get("packages", [])),
    )


def _propagator(doc: Doc, path: tuple[Any, ...], entry: Any) -> Propagator:
    e = _mapping(doc, path, entry, {"call", "keeps", "format-arg", "value-arg"}, {"call", "keeps"})
    for key in ("format-arg", "value-arg"):
        n = e.get(key)
        if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 0):
            raise doc.error(path + (key,), f"{_where(path)}: `{key}` must be a non-negative integer")
    return Propagator(
        call=_str(doc, path + ("call",), e["call"]),
        keeps=_str(doc, path + ("keeps",), e["keeps"], ("structure", "elements", "text")),
        format_arg=e.get("format-arg"),
        value_arg=e.get("value-arg", 0),
    )


def _clock_methods(doc: Doc) -> list[tuple[str, str | int]]:
    raw = doc.data.get("clock-methods", {}) if isinstance(doc.data, dict) else {}
    if not isinstance(raw, dict):
        raise doc.error(("clock-methods",), "`clock-methods` must be a mapping")
    out: list[tuple[str, str | int]] = []
    for name, spec in raw.items():
        path = ("clock-methods", name)
        if isinstance(spec, dict) and set(spec) == {"format-arg"} and isinstance(spec["format-arg"], int):
            out.append((name, spec["format-arg"]))
        elif isinstance(spec, dict) and set(spec) == {"granularity"}:
            out.append((name, _str(doc, path + ("granularity",), spec["granularity"], GRANULARITIES + ("keep",))))
        else:
            raise doc.error(path, f"clock-methods.{name}: expected {{format-arg: N}} or {{granularity: G}}")
    return out


def _clock_attributes(doc: Doc) -> list[tuple[str, str]]:
    raw = doc.data.get("clock-attributes", {}) if isinstance(doc.data, dict) else {}
    if not isinstance(raw, dict):
        raise doc.error(("clock-attributes",), "`clock-attributes` must be a mapping")
    return [(k, _str(doc, ("clock-attributes", k), v, GRANULARITIES)) for k, v in raw.items()]
