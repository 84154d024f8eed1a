"""Abstract values for the dataflow pass: which volatile facts a value carries, and where.

A value keeps just enough structure to answer "does the volatile part land in the cached prefix":
the ordered elements of a list literal (so the newest message can be told apart from earlier
ones), elements added at an unknown position (the growing tail of a history), and the known keys
of a dict (so `system` inside a request dict or a `json.dumps` body stays reachable).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

# Scope of a volatile value: how often it changes, which decides severity.
PER_CALL = "call"  # computed for every request
PER_SESSION = "session"  # computed once before the conversation loop that sends it
PER_PROCESS = "process"  # computed at import time, in __init__ or in a cached function


@dataclass(frozen=True)
class Fact:
    """One volatile origin (a source call), or a parameter placeholder inside a function summary."""

    rule: str
    kind: str
    source: str
    line: int
    column: int
    end_line: int
    end_column: int
    granularity: str | None = None
    scope: str = PER_CALL
    function: str = ""
    loops: tuple[int, ...] = ()
    param: str | None = None
    severity: str | None = None
    latent: bool = False
    needs: tuple[str, ...] = ()
    anchored: bool = False
    file: str = ""
    # The loops around the turn (a dict with a `role`) that holds it, when it was built: a turn
    # made by a loop that ended before the send is one of many, so earlier turns carry it too.
    turn_loops: tuple[int, ...] | None = None
    # Held by a turn that a finished loop (in a called function, or a comprehension) made.
    batch: bool = False
    # A latent dict-order origin read out of the dict (`row["data"]`, `for r in rows`): a nested
    # dict such as a JSON column, or just as often a scalar.
    part: bool = False
    # An iteration order that decides only the order of a dict's keys (`{k: ... for k in set(...)}`):
    # a serializer that sorts the keys (`json.dumps(d, sort_keys=True)`) fixes it.
    key_order: bool = False
    # An iteration order carried by one element of that iteration (the loop variable of
    # `for t in set(...)`): it says where the element sits, not what it holds. Collecting the
    # elements in that order (append, a comprehension, +=, yield) makes it an order again. The
    # value is the id of the loop (or comprehension) that walks in that order; 0 for none.
    element: int = 0
    # For a parameter placeholder: what a sanitizer between it and here removed (`sanitizers.yaml`
    # `removes`: rule codes, `order` or `all`), so the caller's facts of those rules stop here
    # (`(spec_dir / name).read_text()` does not carry where `spec_dir` is).
    cleared: tuple[str, ...] = ()

    @property
    def is_param(self) -> bool:
        return self.param is not None

    @property
    def reportable(self) -> bool:
        """A real volatile origin: not a parameter placeholder, not a latent dict-order origin, not
        the serialization of a parameter that no caller has yet been seen to fill with parsed data."""
        return self.param is None and not self.latent and not (self.rule == "CL204" and self.needs)


@dataclass(frozen=True)
class Value:
    """What the analysis knows of a runtime value.

    `facts` taint the value itself; `elems` are the known positional elements of a sequence; `rest`
    holds elements (or dict values) whose position or key is unknown; `fields` are the known keys
    of a dict in insertion order; `type` is a coarse type name (`datetime`, `list`, `class:Agent`);
    `const` is the text of a string constant (a role name, a strftime format); `spread` marks an
    element that stands for a whole sequence of unknown length spread into a list (`*history`).
    """

    facts: frozenset[Fact] = frozenset()
    elems: tuple["Value", ...] | None = None
    rest: "Value | None" = None
    fields: tuple[tuple[str, "Value"], ...] | None = None
    type: str | None = None
    const: str | None = None
    spread: bool = False

    def field(self, key: str) -> "Value":
        """The value under `key` of a dict (joined with values under unknown keys)."""
        found: Value | None = None
        if self.fields is not None:
            for k, v in self.fields:
                if k == key:
                    found = v
        parts = [p for p in (found, self.rest) if p is not None]
        if not parts and self.fields is None:
            return Value(_read_out(self.facts))
        return _with_facts(join_all(parts), _read_out(self.facts))

    def has_field(self, key: str) -> bool:
        return self.fields is not None and any(k == key for k, _ in self.fields)

    def at(self, index: int) -> "Value":
        """The known element at `index` (an index into `elems`), with the sequence's own facts:
        the order a tuple came in is also the order of each of its parts."""
        assert self.elems is not None
        return _with_facts(self.elems[index], _read_out(self.facts))

    def element(self) -> "Value":
        """Any one element, as iteration would give it."""
        parts = list(self.elems or ()) + ([self.rest] if self.rest is not None else [])
        return _with_facts(join_all(parts), _read_out(self.facts))

    def with_field(self, key: str, value: "Value") -> "Value":
        fields = [(k, v) for k, v in (self.fields or ()) if k != key] + [(key, value)]
        return replace(self, fields=tuple(fields))

    def with_rest(self, value: "Value") -> "Value":
        rest = value if self.rest is None else join(self.rest, value)
        return replace(self, rest=rest)

    def is_empty(self) -> bool:
        return not all_facts(self)


EMPTY = Value()


def _read_out(facts: frozenset[Fact]) -> frozenset[Fact]:
    """The facts of something read out of a value: a dict's key order becomes a part's."""
    if not any(f.latent and not f.part for f in facts):
        return facts
    return frozenset(replace(f, part=True) if f.latent else f for f in facts)


def _with_facts(value: Value, facts: frozenset[Fact]) -> Value:
    """The value with more facts; its structure and constant text stay as they were."""
    return replace(value, facts=value.facts | facts) if facts else value


def join(a: Value, b: Value) -> Value:
    """The least value that covers both (a may-analysis: facts are united)."""
    if a is b or b == EMPTY:
        return a
    if a == EMPTY:
        return b
    facts = a.facts | b.facts
    elems: tuple[Value, ...] | None = None
    rest_parts = [r for r in (a.rest, b.rest) if r is not None]
    if a.elems is not None and b.elems is not None and len(a.elems) == len(b.elems):
        elems = tuple(join(x, y) for x, y in zip(a.elems, b.elems))
    else:
        for side in (a, b):
            if side.elems:
                rest_parts.extend(side.elems)
        if a.elems is not None and b.elems is not None:
            elems = ()
        elif a.elems is not None or b.elems is not None:
            elems = ()
    fields: tuple[tuple[str, Value], ...] | None = None
    if a.fields is not None or b.fields is not None:
        merged: dict[str, Value] = {}
        for side in (a, b):
            for k, v in side.fields or ():
                merged[k] = join(merged[k], v) if k in merged else v
        fields = tuple(merged.items())
    rest = join_all(rest_parts) if rest_parts else None
    type_ = a.type if a.type == b.type else (a.type or b.type)
    const = a.const if a.const == b.const else None
    return Value(facts=facts, elems=elems, rest=rest, fields=fields, type=type_, const=const, spread=a.spread or b.spread)


def join_all(values: Iterable[Value], facts: frozenset[Fact] = frozenset()) -> Value:
    out = Value(facts) if facts else EMPTY
    for v in values:
        out = join(out, v)
    return out


def all_facts(value: Value) -> frozenset[Fact]:
    """Every fact anywhere inside the value."""
    out: set[Fact] = set(value.facts)
    stack = [value]
    while stack:
        v = stack.pop()
        out |= v.facts
        if v.elems:
            stack.extend(v.elems)
        if v.rest is not None:
            stack.append(v.rest)
        if v.fields:
            stack.extend(x for _, x in v.fields)
    return frozenset(out)


def flat(value: Value) -> Value:
    """The value reduced to its facts (what a string built from it carries)."""
    return Value(all_facts(value))


def map_facts(value: Value, fn) -> Value:
    """Apply `fn(fact) -> fact | None` to every fact, keeping the structure."""
    return expand_facts(value, lambda f: () if (mapped := fn(f)) is None else (mapped,))


def expand_facts(value: Value, fn) -> Value:
    """Replace every fact by the facts `fn(fact)` gives (an iterable), where it sits in the structure."""
    return Value(
        facts=frozenset(f2 for f in value.facts for f2 in fn(f)),
        elems=tuple(expand_facts(e, fn) for e in value.elems) if value.elems is not None else None,
        rest=expand_facts(value.rest, fn) if value.rest is not None else None,
        fields=tuple((k, expand_facts(v, fn)) for k, v in value.fields) if value.fields is not None else None,
        type=value.type,
        const=value.const,
        spread=value.spread,
    )


def retyped(value: Value, fn) -> Value:
    """Apply `fn(type) -> type` to the type of the value and of every value inside it."""
    return replace(
        value,
        elems=tuple(retyped(e, fn) for e in value.elems) if value.elems is not None else None,
        rest=retyped(value.rest, fn) if value.rest is not None else None,
        fields=tuple((k, retyped(v, fn)) for k, v in value.fields) if value.fields is not None else None,
        type=fn(value.type),
    )


def as_element(value: Value, loop: int) -> Value:
    """One element of the iteration `loop`: its ordering facts say where it sits, not what it holds."""
    return map_facts(value, lambda f: replace(f, element=loop) if f.rule.startswith("CL2") else f)


def collected(value: Value, loops: Iterable[int]) -> Value:
    """Elements gathered in the order of these iterations: their ordering facts order the result
    again (those of another iteration, such as values looked up by a sorted key, do not)."""
    loops = set(loops)
    if not any(f.element in loops for f in all_facts(value)):
        return value
    return map_facts(value, lambda f: replace(f, element=0) if f.element in loops else f)


def clears(cleared: tuple[str, ...], rule: str) -> bool:
    """Whether what a sanitizer removed (`Fact.cleared`) covers facts of `rule`."""
    return "all" in cleared or rule in cleared or ("order" in cleared and rule.startswith("CL2"))


def sanitized(value: Value, removes: tuple[str, ...]) -> Value:
    """The value with the facts a sanitizer removes (`sanitizers.yaml`) dropped; its parameter
    placeholders remember what was removed, for the values a caller passes."""
    return map_facts(value, lambda f: replace(f, cleared=tuple(sorted(set(f.cleared) | set(removes)))) if f.is_param else None if clears(removes, f.rule) else f)


def without(value: Value, drop) -> Value:
    """The value with the facts for which `drop(fact)` is true removed, structure kept."""
    return map_facts(value, lambda f: None if drop(f) else f)
