"""The dataflow pass: follow volatile values from sources through code to request sinks.

An abstract interpreter over libcst statements. Straight-line code is flow-sensitive (a variable
re-assigned from `sorted(...)` is clean afterwards); branches join; loop bodies run twice so values
carried around the loop are seen. Functions and methods of the same module are summarised (what
they return, which parameters reach which sink) and the summaries are applied at each call site,
so `system=build_prompt()` and `send(system=text)` are both followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator, Sequence

import libcst as cst

from cachelint.engine.nodes import INITIALIZERS, LOOPS, children, string_value, walk, walk_scope
from cachelint.engine.positions import Positions, Span

from cachelint.engine import layout
from cachelint.engine.project import ExportedClass, ExportedFunction, ModuleSummary, ProjectIndex, absolute
from cachelint.engine.resolve import dotted_name, qualify, receiver_chain
from cachelint.engine.runstate import annotated_params, changed_attributes
from cachelint.engine.values import (
    EMPTY,
    PER_PROCESS,
    PER_SESSION,
    Fact,
    Value,
    all_facts,
    as_element,
    clears,
    collected,
    expand_facts,
    flat,
    join,
    join_all,
    map_facts,
    retyped,
    sanitized,
    without,
)
from cachelint.knowledge import Knowledge, Sink, SinkArgument, Source

CACHING_DECORATORS = frozenset({"cache", "lru_cache", "cached_property", "functools.cache", "functools.lru_cache", "functools.cached_property"})
LIST_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft"})
# The roles of LangChain's `(role, text)` message pairs.
PAIR_ROLES = frozenset({"system", "developer", "human", "user", "ai", "assistant", "tool", "placeholder"})
# Calls that take items out of a container (`self.todo.pop(i)`): the object's state changes.
REMOVERS = frozenset({"pop", "popitem", "popleft", "remove", "discard", "clear"})
# How changing framework run state (`ctx.deps.visited`) is described in a CL302 finding.
RUN_STATE_CHANGE = "which the tools change during a run"
# Methods that set an object up for a session (once per object or `with` block), not per turn:
# a `with` block's entry, and set-up methods that take nothing but the object (`open(path)` is
# an action on the session, `start()` begins one).
SESSION_ENTRIES = frozenset({"__enter__", "__aenter__"})
SETUP_METHODS = frozenset({"setup", "set_up", "start", "start_session", "new_session", "begin", "initialize", "init"})
GRANULARITY_ORDER = ("microsecond", "second", "minute", "hour", "day", "week", "month", "year")
STRFTIME_UNITS = {
    "f": "microsecond", "S": "second", "s": "second", "X": "second", "c": "second", "T": "second", "r": "second",
    "M": "minute", "R": "minute", "H": "hour", "I": "hour", "p": "hour", "k": "hour", "l": "hour",
    "d": "day", "j": "day", "a": "day", "A": "day", "e": "day", "x": "day", "D": "day", "F": "day",
    "u": "day", "w": "day", "U": "week", "W": "week", "V": "week", "G": "year",
    "m": "month", "b": "month", "B": "month", "h": "month", "Y": "year", "y": "year", "C": "year",
}


@dataclass(frozen=True)
class SinkSite:
    """A request-sending call, as shown in a finding's `related` entry."""

    sink_id: str
    provider: str
    text: str
    argument: str
    span: Span
    file: str = ""


@dataclass(frozen=True)
class SinkHit:
    """A volatile fact that reaches the cached prefix of a request at `site`."""

    fact: Fact
    segment: str
    site: SinkSite
    scope: str


@dataclass(frozen=True)
class ParamSink:
    """Inside a summary: parameter `param` (at `path` within it) reaches `argument` of a sink."""

    param: str
    path: tuple[str, ...]
    argument: SinkArgument
    site: SinkSite
    exact: bool
    cleared: tuple[str, ...] = ()  # what sanitizers removed on the way (see Fact.cleared)


@dataclass
class Summary:
    returns: Value = EMPTY
    param_sinks: list[ParamSink] = field(default_factory=list)


@dataclass
class FunctionInfo:
    key: str
    node: cst.FunctionDef
    cls: str | None
    params: list[str]
    cached: bool
    is_property: bool
    decorators: tuple[str, ...] = ()
    # A nested function's view of the names of the function it is defined in, at its `def`.
    closure: dict[str, Value] | None = None


@dataclass
class ClassInfo:
    name: str
    methods: dict[str, FunctionInfo] = field(default_factory=dict)
    attrs: dict[str, Value] = field(default_factory=dict)
    # Annotated class-level names in order (`node: str`): a dataclass's `__init__` parameters.
    fields: list[str] = field(default_factory=list)
    # Attributes changed after __init__ (not memoised): state that differs from turn to turn.
    mutable: set[str] = field(default_factory=set)


@dataclass
class Frame:
    """The state of one function (or the module body) being interpreted."""

    key: str
    env: dict[str, Value]
    cls: str | None = None
    loops: list[int] = field(default_factory=list)
    # Loops that walk something in a fixed order (a literal, `sorted(...)`, `range(...)`) or no
    # collection at all (`while`): what they collect once per element comes out the same each run.
    fixed_loops: set[int] = field(default_factory=set)
    # Where the values a loop walks were made (`origin`): records stored earlier (a timestamp kept
    # per message) render the same text every turn, so a turn built from them is not one of many.
    stored: set[tuple] = field(default_factory=set)
    returns: Value = EMPTY
    param_sinks: list[ParamSink] = field(default_factory=list)
    is_module: bool = False
    in_init: bool = False
    guards: list[set[str]] = field(default_factory=list)
    counters: list[set[str]] = field(default_factory=list)
    statement: cst.CSTNode | None = None
    after_turn: bool = False  # inside a list literal, after a user or assistant turn


class ModuleAnalysis:
    """Run the dataflow pass over one module and collect `hits`."""

    def __init__(
        self,
        module: cst.Module,
        source: str,
        knowledge: Knowledge,
        aliases: dict[str, str],
        positions: Positions,
        module_name: str = "",
        is_package: bool = False,
        project: ProjectIndex | None = None,
    ) -> None:
        self.module = module
        # The text the module was parsed from: `module.code` would generate it again, at the cost of a walk.
        self.source = source
        self.positions = positions
        self.module_name = module_name
        self.is_package = is_package
        self.project = project
        self.k = knowledge
        self.aliases = aliases
        self.span = positions.span
        self.functions: dict[str, FunctionInfo] = {}
        self.classes: dict[str, ClassInfo] = {}
        # The module's names are whatever dict the module frame holds: an `if`, loop, `try` or
        # comprehension at the top level leaves a joined copy behind, which must be what functions read.
        self.module_frame = Frame(key="<module>", env={}, is_module=True)
        self.summaries: dict[str, Summary] = {}
        self._named: dict[tuple[str, ...], bool] = {}
        self.in_progress: set[str] = set()
        self.hits: set[SinkHit] = set()
        self._sends: dict[str, bool] = {}  # function key -> it makes a request itself (`sends`)
        # List elements with the expression each came from, for CL301 on lists built step by step.
        self.element_nodes: dict[int, tuple[Value, cst.BaseExpression]] = {}
        self.clock_methods = dict(knowledge.clock_methods)
        self.clock_attributes = dict(knowledge.clock_attributes)
        # Framework run state (pydantic-ai `ctx.deps`): annotation -> (its attribute, the parts changed here).
        self.run_states: dict[str, tuple[str, frozenset[str]]] = {}
        self._forwarded: dict[int, cst.Call | None] = {}
        self._bound: dict[str, cst.Call] | None = None  # names given one call as their only value (`_bound_call`)
        # The last names a forwarder call can end with here (`to_thread`, `submit`, an import alias of one).
        self._forwarder_words = {f.method or (f.call or "").rsplit(".", 1)[-1] for f in knowledge.forwarders} | {
            alias for alias, target in aliases.items() if any(f.call is not None and (f.call == target or f.call.startswith(target + ".")) for f in knowledge.forwarders)
        }
        self._collect(module.body, None, "")
        self.setup_keys = self._setup_methods()

    # ----------------------------------------------------------------- entry point
    def run(self) -> list[SinkHit]:
        self._collect_changing_state()
        self.exec_block(list(self.module.body), self.module_frame)
        # Class attributes are collected from every method before any method is checked.
        for cls in self.classes.values():
            for info in cls.methods.values():
                self.summary(info)
        self.summaries.clear()
        # Analysing a function registers the functions nested in it (a closure a factory returns,
        # `def create_llm(): ... def call_llm(q): client.messages.create(...)`): those run later,
        # called by whoever holds them, so each is analysed in turn too.
        done: set[str] = set()
        while len(done) < len(self.functions):
            for info in [info for key, info in self.functions.items() if key not in done]:
                done.add(info.key)
                self.summary(info)
                self.check_decorator_sinks(info)
        return sorted(self.hits, key=hit_order)

    @property
    def globals(self) -> dict[str, Value]:
        """The module's names as the module body has left them so far."""
        return self.module_frame.env

    def _collect_changing_state(self) -> None:
        """State that changes between requests, found before any function is analysed: attributes of
        this module's classes changed through a parameter of that type, and framework run state."""
        functions = [info.node for info in self.functions.values() if info.cls is None]
        for name, cls in self.classes.items():
            cls.mutable |= changed_attributes(functions, name, None)
        decorators = {d for info in self.functions.values() for d in info.decorators}
        wanted = {sink.run_state for sink in self.k.sinks if sink.run_state is not None and decorators & set(sink.decorators)}
        if not wanted:
            return
        functions = [n for n in walk(self.module) if type(n) is cst.FunctionDef]
        for state in wanted:
            self.run_states[state.annotation] = (state.attribute, frozenset(changed_attributes(functions, state.annotation, state.attribute)))

    def _collect(self, body: list[cst.CSTNode], cls: str | None, prefix: str) -> None:
        for stmt in body:
            if type(stmt) is cst.FunctionDef:
                info = self._function_info(stmt, cls, prefix)
                if cls is not None:
                    self.classes[cls].methods[stmt.name.value] = info
                self.functions[info.key] = info
            elif type(stmt) is cst.ClassDef and cls is None and not prefix:
                name = stmt.name.value
                self.classes[name] = ClassInfo(name)
                self._collect(list(block_statements(stmt.body)), name, "")
                self.classes[name].fields = [
                    small.target.value
                    for line in block_statements(stmt.body)
                    if type(line) is cst.SimpleStatementLine
                    for small in line.body
                    if type(small) is cst.AnnAssign and type(small.target) is cst.Name
                ]
            elif type(stmt) in (cst.If, cst.Try) and cls is None:
                self._collect(list(nested_statements(stmt)), cls, prefix)

    def _setup_methods(self) -> set[str]:
        """Methods whose assignments set an object up rather than change it between turns: the
        initializers, session set-up methods (`__aenter__`, `start`), and methods that only these
        call (`self._build_system()` in `__init__`)."""
        methods = [info for cls in self.classes.values() for info in cls.methods.values()]
        keys = {info.key for info in methods if info.node.name.value in INITIALIZERS or info.node.name.value in SESSION_ENTRIES or (info.node.name.value in SETUP_METHODS and len(info.params) == 1)}
        if len(keys) == len(methods):
            return keys
        calls: dict[str, set[int]] = {}
        for node in walk(self.module):
            if type(node) is cst.Call and type(node.func) is cst.Attribute:
                calls.setdefault(node.func.attr.value, set()).add(id(node))
        allowed = {id(n) for info in methods if info.key in keys for n in walk(info.node) if type(n) is cst.Call} | self._setup_sites()
        grown = True
        while grown:
            grown = False
            for info in methods:
                called = calls.get(info.node.name.value)
                if info.key not in keys and called and called <= allowed:
                    keys.add(info.key)
                    allowed |= {id(n) for n in walk(info.node) if type(n) is cst.Call}
                    grown = True
        return keys

    def _setup_sites(self) -> set[int]:
        """Calls that run once, before any turn: simple statements at module level (also under
        `if __name__ == "__main__":`) and those of a module function ahead of its first loop
        (`agent.register_tool(...)` in `main()` before `while True:`)."""
        sites: set[int] = set()

        def simple_calls(statements: Sequence[cst.CSTNode]) -> None:
            for statement in statements:
                if type(statement) is cst.SimpleStatementLine:
                    sites.update(id(n) for n in walk(statement) if type(n) is cst.Call)

        top = list(self.module.body)
        for statement in self.module.body:
            if type(statement) is cst.If and "__main__" in self.module.code_for_node(statement.test):
                top += block_statements(statement.body)
        simple_calls(top)
        for statement in top:
            if type(statement) is cst.FunctionDef:
                body = list(block_statements(statement.body))
                loop = next((i for i, s in enumerate(body) if type(s) in LOOPS), None)
                if loop is not None:
                    simple_calls(body[:loop])
        return sites

    def _function_info(self, node: cst.FunctionDef, cls: str | None, prefix: str) -> FunctionInfo:
        name = node.name.value
        key = f"{cls}.{name}" if cls else f"{prefix}{name}"
        params = [p.name.value for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)]
        decorators = {self._decorator_name(d) for d in node.decorators}
        return FunctionInfo(
            key=key,
            node=node,
            cls=cls,
            params=params,
            cached=bool(decorators & CACHING_DECORATORS),
            is_property="property" in decorators or "cached_property" in decorators or "functools.cached_property" in decorators,
            decorators=tuple(sorted(d.rsplit(".", 1)[-1] for d in decorators if d)),
        )

    def _decorator_name(self, dec: cst.Decorator) -> str:
        expr = dec.decorator.func if type(dec.decorator) is cst.Call else dec.decorator
        name = dotted_name(expr) or ""
        return qualify(name, self.aliases) if name else ""

    # ----------------------------------------------------------------- summaries
    def summary(self, info: FunctionInfo) -> Summary:
        if info.key in self.summaries:
            return self.summaries[info.key]
        if info.key in self.in_progress:
            return Summary()
        self.in_progress.add(info.key)
        env: dict[str, Value] = dict(info.closure) if info.closure else {}
        params = info.params
        if info.cls is not None and params:
            env[params[0]] = Value(type=f"class:{info.cls}")
            params = params[1:]
        typed = {
            param.name.value: param.annotation.annotation.value
            for param in (*info.node.params.posonly_params, *info.node.params.params, *info.node.params.kwonly_params)
            if param.annotation is not None and type(param.annotation.annotation) is cst.Name and param.annotation.annotation.value in self.classes
        }
        for param in (*info.node.params.posonly_params, *info.node.params.params, *info.node.params.kwonly_params):
            foreign = self.annotated_class(param.annotation)
            if foreign is not None and param.name.value in params:
                typed[param.name.value] = foreign
        for p in params:
            env[p] = param_value(info.key, p)
            if p in typed:
                # `settings: Settings`: an object of this module's class (or of an imported one);
                # its attributes are the class's.
                env[p] = replace(env[p], type=f"class:{typed[p]}")
        for annotation in self.run_states:
            for p in annotated_params(info.node, annotation):
                env[p] = Value(type=f"runstate:{annotation}")
        if info.cls is None:
            for cls in self.classes:
                for p in annotated_params(info.node, cls):
                    env[p] = replace(env[p], type=f"class:{cls}")
        for star in (info.node.params.star_arg, info.node.params.star_kwarg):
            if type(star) is cst.Param:
                env[star.name.value] = EMPTY
        frame = Frame(key=info.key, env=env, cls=info.cls, in_init=info.key in self.setup_keys)
        self.exec_block(list(block_statements(info.node.body)), frame)
        returns = frame.returns
        if info.cached:
            returns = map_facts(returns, lambda f: f if f.is_param else replace(f, scope=PER_PROCESS))
        result = Summary(returns=returns, param_sinks=frame.param_sinks)
        self.in_progress.discard(info.key)
        self.summaries[info.key] = result
        return result

    def export(self, filename: str) -> ModuleSummary:
        """This module's summary for importers; facts and sinks are stamped with their file."""

        def stamp_fact(fact: Fact) -> Fact:
            return fact if fact.file or fact.is_param else replace(fact, file=filename)

        def qualified(type_: str | None) -> str | None:
            # An object of a class here is, for an importer, an object of `module.Class`.
            if type_ is not None and type_.startswith("class:") and type_[len("class:") :] in self.classes:
                return f"class:{self.module_name}.{type_[len('class:') :]}"
            return type_

        def stamp(value: Value) -> Value:
            return retyped(map_facts(value, stamp_fact), qualified)

        def unbound(type_: str | None) -> str | None:
            return None if type_ is not None and type_.startswith("param:") else type_

        def exported(info: FunctionInfo, params: list[str]) -> ExportedFunction:
            summary = self.summaries.get(info.key) or self.summary(info)
            sinks = tuple(replace(ps, site=ps.site if ps.site.file else replace(ps.site, file=filename)) for ps in summary.param_sinks)
            return ExportedFunction(tuple(params), stamp(summary.returns), sinks)

        functions = tuple((key, exported(info, info.params)) for key, info in self.functions.items() if info.cls is None and "." not in key)
        classes = []
        for name, cls in self.classes.items():
            methods = tuple((m, exported(info, info.params if "staticmethod" in info.decorators else info.params[1:])) for m, info in cls.methods.items())
            # What an attribute holds without the parameters of `__init__` it was set from: the
            # importer's own constructor calls are not bound to them.
            attrs = tuple((a, retyped(stamp(without(value, lambda f: f.is_param)), unbound)) for a, value in cls.attrs.items())
            properties = tuple(m for m, info in cls.methods.items() if info.is_property)
            classes.append((name, ExportedClass(attrs, methods, properties, tuple(sorted(cls.mutable)))))
        values = tuple((name, stamp(value)) for name, value in self.globals.items() if not (value.type or "").startswith(("func:", "classdef:")))
        return ModuleSummary(self.module_name, filename, values, functions, tuple(classes))

    def check_decorator_sinks(self, info: FunctionInfo) -> None:
        """`@agent.instructions def f(...)`: what the function returns is the prompt segment."""
        for sink in self.k.sinks:
            if not set(sink.decorators) & set(info.decorators):
                continue
            frame = Frame(key=info.key, env={}, cls=info.cls)
            for argument in sink.arguments:
                if argument.name == "return":
                    span = self.span(info.node.name)
                    site = SinkSite(sink.id, sink.provider, f"@{'/'.join(sink.decorators)} {info.node.name.value}", "return", span)
                    returns = map_facts(self.summaries[info.key].returns, lambda fact: anchor_state(fact, span))
                    if sink.run_state is not None and not self.reruns(sink, info):
                        # Run when the conversation starts and kept in its history: what the tools
                        # change later never reaches it, and a clock in it is fixed per conversation.
                        returns = without(returns, lambda f: f.rule == "CL302" and f.kind.endswith(RUN_STATE_CHANGE))
                        returns = map_facts(returns, lambda f: f if f.is_param or f.scope == PER_PROCESS else replace(f, scope=PER_SESSION))
                    self.check_sink_value(returns, argument, site, frame)

    @staticmethod
    def reruns(sink: Sink, info: FunctionInfo) -> bool:
        """Whether the framework runs the decorated function again while its run state changes."""
        state = sink.run_state
        if state is None:
            return False
        if state.when is None:
            return True
        for decorator in info.node.decorators:
            call = decorator.decorator
            if type(call) is cst.Call and type(call.func) is cst.Attribute and call.func.attr.value in sink.decorators:
                if any(a.keyword is not None and a.keyword.value == state.when and type(a.value) is cst.Name and a.value.value == "True" for a in call.args):
                    return True
        return False

    def apply_call(self, info: FunctionInfo, call: cst.Call, frame: Frame, receiver: Value | None) -> Value:
        """The value a call to a module function returns, and the sinks its arguments reach."""
        summary = self.summary(info)
        params = info.params[1:] if info.cls is not None and receiver is not None else info.params
        return self.apply_summary(params, summary.returns, summary.param_sinks, call, frame)

    def sends(self, key: str) -> bool:
        """Whether the function `key` itself makes a call that a sink names (a request)."""
        if key not in self._sends:
            info = self.functions.get(key)
            found = False
            for node in walk_scope(info.node.body) if info is not None else ():
                if type(node) is cst.Call:
                    dotted = dotted_name(node.func.value if type(node.func) is cst.Subscript else node.func)
                    if self.match_sink(node, qualify(dotted, self.aliases) if dotted else None) is not None:
                        found = True
                        break
            self._sends[key] = found
        return self._sends[key]

    def bind_instance(self, cls: str, call: cst.Call, frame: Frame) -> None:
        """`Ops(socket.gethostname())` with `self.node = node` in `__init__`, or a dataclass
        `Cfg(node=socket.gethostname())`: what the caller passes is what the object's attribute
        holds, once per object unless the object is made where a request is sent. Attributes are
        per class here (any object of the class may hold it), and the class's methods are
        summarised again."""
        info = self.classes[cls]
        init = info.methods.get("__init__")
        bound = self.bind_arguments(init.params[1:] if init is not None else info.fields, call, frame)
        # An object made in one place and used by requests elsewhere (an agent, the settings of a
        # session) keeps what it was given for its conversation; one made in the function that
        # sends the request (`Message(role, text)` per call) is made as often as that request.
        kept = frame.is_module or frame.in_init or not self.sends(frame.key)
        changed = False
        for name in set(info.attrs) | (set(bound) if init is None else set()):
            value = info.attrs.get(name, EMPTY)
            passed: set[Fact] = set()
            if init is None:
                passed = {f for f in all_facts(bound.get(name, EMPTY)) if not f.is_param}
            for fact in all_facts(value):
                if init is not None and fact.is_param and fact.param and fact.function == init.key:
                    root, *path = fact.param.split(".")
                    passed |= {f for f in all_facts(at_path(bound.get(root, EMPTY), path)) if not f.is_param}
            if kept:
                passed = {f if f.scope == PER_PROCESS else replace(f, scope=PER_SESSION) for f in passed}
            passed -= value.facts
            if passed:
                info.attrs[name] = replace(value, facts=value.facts | frozenset(passed))
                changed = True
        if changed:
            for method in info.methods.values():
                self.summaries.pop(method.key, None)

    def apply_external(self, target: str, call: cst.Call, frame: Frame) -> Value:
        """A call to a function of another checked module, through its exported summary."""
        found = self.project.lookup(target) if self.project is not None else None
        function = found[0].function(found[1]) if found is not None else None
        if function is None:
            self.eval_args(call, frame)
            return EMPTY
        return self.apply_summary(list(function.params), function.returns, list(function.param_sinks), call, frame)

    def apply_summary(self, params: list[str], returns: Value, param_sinks: list[ParamSink], call: cst.Call, frame: Frame) -> Value:
        bound = self.bind_arguments(params, call, frame)
        for ps in param_sinks:
            actual = bound.get(ps.param)
            if actual is None:
                continue
            actual = at_path(actual, list(ps.path))
            if ps.cleared:
                actual = without(actual, lambda f: clears(ps.cleared, f.rule))
            argument = ps.argument if ps.exact else replace(ps.argument, layout="whole")
            self.sink_reached(actual, argument, ps.site, frame)
        return self.substitute(returns, bound, frame, self.statement_span(call, frame))

    def bind_arguments(self, params: list[str], call: cst.Call, frame: Frame) -> dict[str, Value]:
        bound: dict[str, Value] = {}
        positional = [a for a in call.args if a.keyword is None and not a.star]
        for name, arg in zip(params, positional):
            bound[name] = self.eval(arg.value, frame)
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in params:
                bound[arg.keyword.value] = self.eval(arg.value, frame)
            elif arg.star == "**":
                spread = self.eval(arg.value, frame)
                for key, value in spread.fields or ():
                    if key in params:
                        bound[key] = value
        return bound

    def substitute(self, value: Value, bound: dict[str, Value], frame: Frame, call_span: Span = (0, 0, 0, 0)) -> Value:
        """Replace parameter placeholders by the caller's values; re-stamp facts to the call site."""
        if value.type and value.type.startswith("param:") and len(value.facts) == 1:
            name, *path = value.type[len("param:") :].split(".")
            return at_path(bound.get(name, EMPTY), path)

        def restamp(fact: Fact) -> Fact | None:
            if fact.is_param or is_loop_state(fact):
                # Loop variables change per iteration of the callee's own loop, not per call.
                return None
            if fact.needs and fact.rule == "CL204":
                # A parameter serialized in the callee: a finding only if the caller passes a dict of
                # unfixed key order (parsed JSON, a database row), or its own parameter.
                passed = [f for p in fact.needs for f in all_facts(bound.get(p, EMPTY)) if f.latent or f.is_param]
                latent = [f for f in passed if f.latent]
                if not passed:
                    return None
                if latent:
                    fact = replace(fact, kind=f"key order of {earliest(latent).kind}", needs=())
                else:
                    fact = replace(fact, needs=tuple(sorted({f.param.split(".")[0] for f in passed if f.param})))
            elif fact.needs:
                # Layout findings that depend on parameters hold only if the caller passes dynamic values.
                passed = [bound.get(p, EMPTY) for p in fact.needs]
                facts = [f for v in passed for f in all_facts(v) if not f.latent]
                if not facts:
                    return None
                callers = tuple(sorted({f.param.split(".")[0] for f in facts if f.is_param and f.param}))
                fact = replace(fact, needs=callers if all(f.is_param for f in facts) else ())
            if fact.rule == "CL302" and not fact.anchored:
                # Report changing state where the prompt is rebuilt: the call of the builder.
                line, col, end_line, end_col = call_span
                fact = replace(fact, line=line, column=col, end_line=end_line, end_column=end_col, anchored=True, file="")
            if fact.scope == PER_PROCESS:
                return fact
            return replace(fact, function=frame.key, loops=tuple(frame.loops), turn_loops=None, batch=fact.batch or bool(fact.turn_loops))

        def passed(fact: Fact) -> Iterable[Fact]:
            if not (fact.is_param and fact.param is not None):
                stamped = restamp(fact)
                return () if stamped is None else (stamped,)
            # `c["name"]` of a parameter: what the caller's value holds there, not all of it, in
            # the place the parameter takes (a transcript in the newest message stays there).
            name, *path = fact.param.split(".")
            out = []
            for f in all_facts(at_path(bound.get(name, EMPTY), path)):
                if f.is_param and fact.cleared:
                    out.append(replace(f, cleared=tuple(sorted(set(f.cleared) | set(fact.cleared)))))  # the caller's own parameter, cleared alike
                elif not clears(fact.cleared, f.rule):
                    out.append(f)
            return out

        out = expand_facts(value, passed)
        if out.type and out.type.startswith("param:"):
            out = replace(out, type=None)
        return out

    # ----------------------------------------------------------------- statements
    def exec_block(self, stmts: list[cst.CSTNode], frame: Frame) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, frame)

    def exec_stmt(self, stmt: cst.CSTNode, frame: Frame) -> None:
        frame.statement = stmt
        if type(stmt) in (cst.SimpleStatementLine, cst.SimpleStatementSuite):
            for small in stmt.body:
                self.exec_small(small, frame)
        elif type(stmt) is cst.If:
            self.eval(stmt.test, frame)
            before = dict(frame.env)
            narrowed = equal_to_constant(stmt.test)
            if narrowed is not None and narrowed[0] in frame.env:
                # `if name == "system.txt":` in a loop over a listing: inside, the name is that text,
                # whatever order the listing came in.
                frame.env[narrowed[0]] = Value(type="str", const=narrowed[1])
            scalar = scalar_instance(stmt.test)
            if scalar is not None and scalar in frame.env:
                # `if isinstance(parsed, (int, float)):` inside, a parsed JSON value has no keys to order.
                frame.env[scalar] = without(frame.env[scalar], lambda f: f.rule == "CL204")
            frame.guards.append(self_attributes(stmt.test))
            try:
                self.exec_block(list(block_statements(stmt.body)), frame)
            finally:
                frame.guards.pop()
            after_body = frame.env
            frame.env = dict(before)
            if stmt.orelse is not None:
                if type(stmt.orelse) is cst.If:
                    self.exec_stmt(stmt.orelse, frame)
                else:
                    self.exec_block(list(block_statements(stmt.orelse.body)), frame)
            frame.env = join_env(after_body, frame.env)
        elif type(stmt) in LOOPS:
            self.exec_loop(stmt, frame)
        elif type(stmt) is cst.With:
            for item in stmt.items:
                value = self.eval(item.item, frame)
                if item.asname is not None:
                    self.assign(item.asname.name, value, frame)
            self.exec_block(list(block_statements(stmt.body)), frame)
        elif type(stmt) in (cst.Try, cst.TryStar):
            self.exec_block(list(block_statements(stmt.body)), frame)
            body_env = dict(frame.env)
            for handler in stmt.handlers:
                frame.env = join_env(body_env, frame.env)
                self.exec_block(list(block_statements(handler.body)), frame)
            frame.env = join_env(body_env, frame.env)
            if stmt.orelse is not None:
                self.exec_block(list(block_statements(stmt.orelse.body)), frame)
            if stmt.finalbody is not None:
                self.exec_block(list(block_statements(stmt.finalbody.body)), frame)
        elif type(stmt) is cst.Match:
            self.eval(stmt.subject, frame)
            before = dict(frame.env)
            merged = dict(before)
            for case in stmt.cases:
                frame.env = dict(before)
                self.exec_block(list(block_statements(case.body)), frame)
                merged = join_env(merged, frame.env)
            frame.env = merged
        elif type(stmt) is cst.FunctionDef:
            if frame.is_module or frame.cls is not None and frame.key.endswith(stmt.name.value):
                return
            info = self._function_info(stmt, None, f"{frame.key}.<locals>.")
            info.closure = dict(frame.env)
            self.functions[info.key] = info
            frame.env[stmt.name.value] = Value(type=f"func:{info.key}")
        elif type(stmt) is cst.ClassDef:
            if frame.is_module and stmt.name.value in self.classes:
                self.exec_class_body(stmt, frame)

    def exec_class_body(self, stmt: cst.ClassDef, frame: Frame) -> None:
        """Class attributes (`STARTED_AT = datetime.now()`) are computed once per process, at import."""
        attrs = self.classes[stmt.name.value].attrs
        body = Frame(key=f"<class {stmt.name.value}>", env=dict(frame.env), is_module=True)
        for line in block_statements(stmt.body):
            if type(line) is not cst.SimpleStatementLine:
                continue
            for small in line.body:
                if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name:
                    target, expression = small.targets[0].target.value, small.value
                elif type(small) is cst.AnnAssign and type(small.target) is cst.Name and small.value is not None:
                    target, expression = small.target.value, small.value
                else:
                    continue
                body.statement = line
                factory = default_factory(expression)
                if factory is not None:
                    # `started: str = field(default_factory=lambda: datetime.now().isoformat())`: made for
                    # every object, like an attribute set in `__init__`.
                    value = map_facts(self.factory_value(factory, body), lambda f: f if f.is_param or f.scope == PER_PROCESS else replace(f, scope=PER_SESSION))
                else:
                    value = map_facts(self.eval(expression, body), lambda f: f if f.is_param else replace(f, scope=PER_PROCESS))
                body.env[target] = value
                attrs[target] = value
        self.check_class_sinks(stmt, attrs, body)

    def check_class_sinks(self, stmt: cst.ClassDef, attrs: dict[str, Value], frame: Frame) -> None:
        """A subclass of a framework's tool class (`class Search(BaseTool): description = ...`):
        its class attributes named by the sink are the prompt segment."""
        bases = {qualify(d, self.aliases) for d in (dotted_name(b.value) for b in stmt.bases) if d}
        for sink in self.k.sinks:
            if not bases & set(sink.bases):
                continue
            for argument in sink.arguments:
                if argument.name in attrs:
                    site = SinkSite(sink.id, sink.provider, f"class {stmt.name.value}", argument.name, self.span(stmt.name))
                    self.sink_reached(attrs[argument.name], argument, site, frame)

    def names_any(self, words: tuple[str, ...]) -> bool:
        """Whether the module's text names one of these words (as the prefilter reads the bytes)."""
        found = self._named.get(words)
        if found is None:
            found = self._named[words] = re.search(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", self.source) is not None
        return found

    def factory_value(self, factory: cst.BaseExpression, frame: Frame) -> Value:
        """What calling a field's default factory gives: a lambda's body, a module function's
        return value, or a source called without arguments (`default_factory=uuid.uuid4`)."""
        if type(factory) is cst.Lambda:
            return self.eval_lambda_body(factory, frame)[0]
        dotted = dotted_name(factory)
        qualname = qualify(dotted, self.aliases) if dotted else None
        if qualname is not None and not self.is_local(qualname):
            source = self.k.source_for(qualname)
            if source is None or source.in_place:
                return EMPTY
            granularity = "second" if source.granularity == "from-format" else source.granularity
            fact = self.new_fact(factory, source.rule, source.kind, f"{dotted}()", frame, granularity=granularity, severity=source.severity)
            return Value(frozenset({fact}), type=source.returns)
        value, _ = self.eval_library_argument(factory, frame)
        return value if value.type is None or not value.type.startswith(("func:", "classdef:")) else EMPTY

    def exec_loop(self, stmt: cst.For | cst.While, frame: Frame) -> None:
        # A `for` statement computes what it walks once, before its first pass: a request made
        # there (`async for chunk in stream_completion(system=...)`) is made once per run of the
        # statement, not once per element.
        iterable = self.eval(stmt.iter, frame) if type(stmt) is cst.For else EMPTY
        frame.loops.append(id(stmt))
        frame.counters.append(counter_names(stmt.body) | (target_names(stmt.target) if type(stmt) is cst.For else set()))
        stored = set(frame.stored)
        try:
            for _ in range(2):
                if type(stmt) is cst.For:
                    if self.fixed_order(stmt.iter, iterable):
                        frame.fixed_loops.add(id(stmt))
                    element = element_of(iterable)
                    frame.stored |= {origin(f) for f in all_facts(element) if not f.batch and not f.is_param and not f.turn_loops}
                    self.assign(stmt.target, as_element(element, id(stmt)), frame)
                else:
                    frame.fixed_loops.add(id(stmt))
                    self.eval(stmt.test, frame)
                before = dict(frame.env)
                self.exec_block(list(block_statements(stmt.body)), frame)
                frame.env = join_env(before, frame.env)
        finally:
            frame.loops.pop()
            frame.counters.pop()
            frame.stored = stored
        if stmt.orelse is not None:
            self.exec_block(list(block_statements(stmt.orelse.body)), frame)

    def fixed_order(self, node: cst.BaseExpression, iterable: Value) -> bool:
        """Whether a loop walks `node` (valued `iterable`) in the same order on every run."""
        if type(node) is cst.Call and dotted_name(node.func) == "enumerate" and node.args and not self.is_local("enumerate"):
            node = node.args[0].value
        if type(node) in (cst.List, cst.Tuple):
            return True
        if type(node) is cst.Call and dotted_name(node.func) in ("sorted", "range") and not self.is_local(dotted_name(node.func) or ""):
            return True
        return iterable.elems is not None and iterable.rest is None and not any(f.rule.startswith("CL2") for f in all_facts(iterable))

    @staticmethod
    def in_loop(frame: Frame) -> bool:
        """Inside a loop that may walk its elements in a different order from run to run."""
        return any(loop not in frame.fixed_loops for loop in frame.loops)

    def exec_small(self, small: cst.BaseSmallStatement, frame: Frame) -> None:
        if type(small) is cst.Assign:
            value = self.eval(small.value, frame)
            for target in small.targets:
                self.assign(target.target, value, frame)
        elif type(small) is cst.AnnAssign:
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, frame), frame)
        elif type(small) is cst.AugAssign:
            # Stepping a counter is not a read of it: read the stored value, not a loop-state fact.
            target = small.target
            current = frame.env.get(target.value, EMPTY) if type(target) is cst.Name else self.stored(target, frame)
            added = collected(self.eval(small.value, frame), frame.loops)
            if type(small.operator) is cst.AddAssign:
                self.assign(small.target, concat(current, added), frame)
            else:
                self.assign(small.target, join(current, flat(added)), frame)
        elif type(small) is cst.Expr:
            self.eval(small.value, frame)
        elif type(small) is cst.Del:
            for target in small.target.elements if type(small.target) in (cst.Tuple, cst.List) else [small.target]:
                self.note_attribute_change(target.value if type(target) is cst.Element else target, frame)
        elif type(small) is cst.Return:
            if small.value is not None:
                returned = self.eval(small.value, frame)
                # The element a loop stops at depends on the order it walks in.
                frame.returns = join(frame.returns, collected(returned, frame.loops))

    def assign(self, target: cst.BaseExpression, value: Value, frame: Frame) -> None:
        if type(target) is cst.Name:
            frame.env[target.value] = value
        elif type(target) in (cst.Tuple, cst.List):
            for i, element in enumerate(target.elements):
                part = value.at(i) if value.elems is not None and i < len(value.elems) and value.rest is None else value.element()
                self.assign(element.value, part, frame)
        elif type(target) is cst.Attribute:
            owner = self.eval(target.value, frame)
            cls = class_of(owner)
            if cls is not None and cls in self.classes:
                name = target.attr.value
                if frame.in_init:
                    # Set once per object: stable for that object's conversation, new for the next.
                    value = map_facts(value, lambda f: f if f.is_param or f.scope == PER_PROCESS else replace(f, scope=PER_SESSION))
                elif not any(frame.guards):
                    self.classes[cls].mutable.add(name)
                else:
                    # An assignment under a test of the object's own state (`if self._prompt is None:`,
                    # `if now - self.loaded_at > TTL:`) is memoisation or a timed refresh, not per-turn
                    # state: what it stores was read once, like a value set in `__init__`.
                    value = map_facts(value, lambda f: None if f.rule == "CL302" else f if f.is_param or f.scope == PER_PROCESS else replace(f, scope=PER_SESSION))
                attrs = self.classes[cls].attrs
                attrs[name] = join(attrs[name], value) if name in attrs else value
        elif type(target) is cst.Subscript:
            base = target.value
            key = subscript_key(target)
            self.note_attribute_change(target, frame)
            if type(base) is cst.Name and base.value in frame.env:
                current = frame.env[base.value]
                if is_whole_slice(target):
                    # `dirnames[:] = sorted(dirnames)`: sorted in place, like `dirnames.sort()`.
                    kept = {replace(f, element=0) for f in all_facts(value)}
                    self.order_fixed({f for f in all_facts(current) if f.rule.startswith("CL2") and replace(f, element=0) not in kept}, frame)
                    frame.env[base.value] = value
                elif isinstance(key, str):
                    frame.env[base.value] = current.with_field(key, value)
                else:
                    # `found[plugin.name] = plugin` in a loop: the container's own order is the loop's
                    # order; each value keeps it as a position only, so a lookup by key (under a
                    # sorted key, say) does not carry it, while iterating the container does.
                    order = {replace(f, element=0) for f in all_facts(value) if f.element in frame.loops} if frame.loops else set()
                    frame.env[base.value] = replace(current.with_rest(value), facts=current.facts | order)
        elif type(target) is cst.StarredElement:
            self.assign(target.value, Value(rest=value.element()), frame)

    def order_fixed(self, facts: set[Fact], frame: Frame) -> None:
        """A listing sorted in place: its order is fixed everywhere it flows, which is also how
        sorting `dirnames` inside `os.walk` makes the whole walk deterministic."""
        if facts:
            for name, value in list(frame.env.items()):
                frame.env[name] = without(value, lambda f: f in facts)

    # ----------------------------------------------------------------- expressions
    def eval(self, node: cst.BaseExpression, frame: Frame) -> Value:
        method = getattr(self, f"eval_{type(node).__name__}", None)
        if method is not None:
            return method(node, frame)
        return self.eval_children(node, frame)

    def eval_children(self, node: cst.CSTNode, frame: Frame) -> Value:
        """Default: the value carries the facts of every sub-expression."""
        parts = [self.eval(child, frame) for child in expression_children(node)]
        return Value(frozenset().union(*(all_facts(p) for p in parts))) if parts else EMPTY

    def eval_Name(self, node: cst.Name, frame: Frame) -> Value:
        name = node.value
        if name in frame.env:
            if any(name in c for c in frame.counters):
                state = self.new_fact(node, "CL302", f"loop variable `{name}`", name, frame)
                return replace(frame.env[name], facts=frame.env[name].facts | {state})
            return frame.env[name]
        if not frame.is_module and name in self.globals:
            # A module-level value is computed once per process, whoever reads it.
            return map_facts(self.globals[name], lambda f: f if f.is_param else replace(f, scope=PER_PROCESS))
        if name in self.functions:
            return Value(type=f"func:{name}")
        if name in self.classes:
            return Value(type=f"classdef:{name}")
        if name in self.aliases:
            return self.imported(absolute(self.aliases[name], self.module_name, self.is_package))
        source = self.k.name_source_for(name)
        if source is not None:
            return Value(frozenset({self.new_fact(node, source.rule, source.kind, name, frame, severity=source.severity)}))
        return EMPTY

    def imported(self, target: str) -> Value:
        """The value of an imported name from another checked module's summary."""
        if self.project is None:
            return EMPTY
        if self.project.module(target) is not None:
            return Value(type=f"extmod:{target}")
        found = self.project.lookup(target)
        if found is None:
            return EMPTY
        summary, name = found
        if summary.function(name) is not None:
            return Value(type=f"ext:{target}")
        if summary.cls(name) is not None:
            return Value(type=f"classdef:{target}")
        value = summary.value(name)
        return EMPTY if value is None else map_facts(value, lambda f: f if f.is_param else replace(f, scope=PER_PROCESS))

    def eval_SimpleString(self, node: cst.SimpleString, frame: Frame) -> Value:
        text = string_value(node)
        if text is None:
            return EMPTY
        return Value(type="str", const=text if isinstance(text, str) else None)

    def eval_ConcatenatedString(self, node: cst.ConcatenatedString, frame: Frame) -> Value:
        return concat(self.eval(node.left, frame), self.eval(node.right, frame))

    def eval_FormattedString(self, node: cst.FormattedString, frame: Frame) -> Value:
        facts: set[Fact] = set()
        parts: list[layout.Part] = []
        for part in node.parts:
            if type(part) is cst.FormattedStringText:
                parts.append(layout.Part(EMPTY, part, part.value))
            if type(part) is cst.FormattedStringExpression:
                value = self.eval(part.expression, frame)
                latent = [f for f in all_facts(value) if f.latent and not f.part]
                value = without(value, lambda f: f.latent)
                if latent:
                    facts.add(self.new_fact(part, "CL204", f"key order of {earliest(latent).kind}", "f-string", frame))
                spec = format_spec_text(part)
                if spec is not None:
                    value = refine_clock(value, strftime_granularity(spec))
                facts |= all_facts(value)
                parts.append(layout.Part(value, part.expression))
        return Value(frozenset(facts | self.layout_facts(node, parts, frame)), type="str")

    def layout_facts(self, node: cst.CSTNode, parts: list[layout.Part], frame: Frame) -> set[Fact]:
        """CL301: per-request text placed ahead of a long static part of the same prompt text."""
        finding = layout.dynamic_before_static(parts)
        if finding is None:
            return set()
        shown = self.module.code_for_node(finding.dynamic.node).strip() if finding.dynamic.node is not None else "value"
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        fact = self.new_fact(node, "CL301", layout.what_follows(finding), shown, frame, severity=layout.severity_for(finding), needs=finding.params)
        return {fact}

    def eval_Attribute(self, node: cst.Attribute, frame: Frame) -> Value:
        owner = self.eval(node.value, frame)
        if owner.type and owner.type.startswith("runstate"):
            return self.run_state_attribute(owner.type, node, frame)
        if owner.type and owner.type.startswith("extmod:"):
            return self.imported(f"{owner.type[len('extmod:'):]}.{node.attr.value}")
        cls = class_of(owner)
        name = node.attr.value
        if owner.type and owner.type.startswith("classdef:"):
            defined = self.classes.get(owner.type[len("classdef:") :])
            if defined is not None and name in defined.attrs:
                return defined.attrs[name]
            foreign = self.foreign_class(owner.type[len("classdef:") :])
            if foreign is not None and foreign.attr(name) is not None:
                return foreign.attr(name) or EMPTY
        foreign = self.foreign_class(cls)
        if foreign is not None:
            return self.foreign_attribute(foreign, owner, node, frame)
        if cls is not None and cls in self.classes:
            info = self.classes[cls].methods.get(name)
            if info is not None and info.is_property:
                return self.substitute(self.summary(info).returns, {}, frame, self.statement_span(node, frame))
            value = self.classes[cls].attrs.get(name, EMPTY)
            if owner.facts:
                # A parameter typed with the class: what the caller passes reaches here too.
                value = replace(value, facts=value.facts | owner.facts)
            if name in self.classes[cls].mutable and not frame.in_init:
                state = self.new_fact(node, "CL302", f"`self.{name}`", f"self.{name}", frame)
                value = replace(value, facts=value.facts | {state})
            return value
        if name in self.clock_attributes:
            return refine_clock(flat(owner), self.clock_attributes[name])
        if name in PATH_COMPONENTS:
            # A file's name does not carry the directory it sits in (its identity, CL103).
            return without(flat(owner), lambda f: f.rule == "CL103")
        return flat(owner)

    def annotated_class(self, annotation: cst.Annotation | None) -> str | None:
        """The dotted name of another checked module's class a parameter is annotated with."""
        if annotation is None or self.project is None:
            return None
        dotted = dotted_name(annotation.annotation)
        if dotted is None or dotted.split(".")[0] not in self.aliases:
            return None
        name = absolute(qualify(dotted, self.aliases), self.module_name, self.is_package)
        return name if self.foreign_class(name) is not None else None

    def foreign_class(self, name: str | None) -> ExportedClass | None:
        """A class of another checked module, by its dotted name (`pkg.config.Settings`)."""
        if name is None or "." not in name or self.project is None:
            return None
        return self.project.cls(name)

    def foreign_attribute(self, cls: ExportedClass, owner: Value, node: cst.Attribute, frame: Frame) -> Value:
        """`settings.started` of an object of another module's class: a property runs its getter,
        an attribute holds what that module's code stores in it, and one its methods change after
        `__init__` is changing state (CL302)."""
        name = node.attr.value
        getter = cls.method(name) if name in cls.properties else None
        if getter is not None:
            return self.substitute(getter.returns, {}, frame, self.statement_span(node, frame))
        value = cls.attr(name) or EMPTY
        if owner.facts:
            value = replace(value, facts=value.facts | owner.facts)
        if name in cls.mutable and not frame.in_init:
            shown = self.module.code_for_node(node)
            state = self.new_fact(node, "CL302", f"`{shown}`", shown, frame)
            value = replace(value, facts=value.facts | {state})
        return value

    def run_state_attribute(self, owner_type: str, node: cst.Attribute, frame: Frame) -> Value:
        """`ctx.deps` is the run's state; `ctx.deps.x` changes between steps when a function here changes it."""
        kind, annotation = owner_type.split(":", 1)
        attribute, changed = self.run_states[annotation]
        name = node.attr.value
        if kind == "runstate" and name == attribute:
            return Value(type=f"runstate-attr:{annotation}")
        if kind == "runstate-attr" and name in changed:
            shown = self.module.code_for_node(node)
            return Value(frozenset({self.new_fact(node, "CL302", f"`{shown}`, {RUN_STATE_CHANGE}", shown, frame)}))
        return EMPTY

    def eval_Subscript(self, node: cst.Subscript, frame: Frame) -> Value:
        base = self.eval(node.value, frame)
        key = subscript_key(node)
        if isinstance(key, str):
            if base.type and base.type.startswith("param:") and base.fields is None and base.rest is None:
                # `c["name"]` of a parameter: the caller's value at that key, once it is known.
                return deeper(base, key)
            return base.field(key)
        if isinstance(key, int) and base.elems is not None and base.rest is None and -len(base.elems) <= key < len(base.elems):
            return base.at(key)
        chosen: set[Fact] = set()
        for element in node.slice:
            if type(element.slice) is cst.Index:
                # What a volatile or order-carrying key selects varies with it (`TOOLS[name] for name in a_set`).
                chosen |= all_facts(self.eval(element.slice.value, frame))
        if base.type and base.type.startswith("param:") and base.elems is None and base.rest is None and base.fields is None:
            one = deeper(base, "[]")  # one value of a parameter, looked up by key
            return replace(one, facts=one.facts | frozenset(chosen)) if chosen else one
        keyed = base.elems is not None or base.rest is not None or base.fields is not None
        if keyed and (base.fields is not None or base.elems == ()):
            base = looked_up(base)
        if chosen:
            selected = base.element() if keyed else base
            return replace(selected, facts=selected.facts | frozenset(chosen))
        if len(node.slice) == 1 and type(node.slice[0].slice) is cst.Slice:
            return Value(base.facts, elems=(), rest=base.element(), type=base.type) if base.elems is not None or base.rest is not None else base
        return base.element() if (base.elems is not None or base.rest is not None or base.fields is not None) else base

    def eval_List(self, node: cst.List | cst.Tuple, frame: Frame) -> Value:
        elems: list[Value] = []
        rest: Value | None = None
        outer_after_turn = frame.after_turn
        for element in node.elements:
            value = self.eval(element.value, frame)
            if is_turn(value) and not is_system_turn(value):
                frame.after_turn = True  # later system messages of this list follow a conversation turn
            if type(element) is cst.StarredElement:
                if value.elems is not None and value.rest is None and rest is None:
                    elems.extend(value.elems)
                elif rest is None:
                    elems.append(replace(value.element(), spread=True))
                else:
                    rest = join(rest, value.element())
            elif rest is None:
                self.wrote(value, element.value)
                elems.append(value)
            else:
                rest = join(rest, value)
        facts: set[Fact] = set()
        if len(elems) >= 2 and len(elems) == len(node.elements) and any(e.fields is not None for e in elems):
            texts = [layout.Part(block_text(e), block_text_node(el.value)) for e, el in zip(elems, node.elements)]
            facts = self.layout_facts(node, texts, frame)
            if facts:
                # On the list for system blocks, and on the dynamic turn itself for message lists.
                first = next(i for i, t in enumerate(texts) if layout.is_dynamic(t))
                elems[first] = replace(elems[first], facts=elems[first].facts | frozenset(facts))
        frame.after_turn = outer_after_turn
        value = Value(frozenset(facts), elems=tuple(elems), rest=rest, type="list")
        if type(node) is cst.Tuple and len(elems) == 2:
            self.check_shapes(node, value, frame)
        return value

    eval_Tuple = eval_List

    def eval_Set(self, node: cst.Set, frame: Frame) -> Value:
        parts = [self.eval(e.value, frame) for e in node.elements]
        if len(node.elements) < 2:
            return Value(rest=join_all(parts), elems=(), type="set")
        # Small ints hash to themselves: their order is the same in every process (low severity).
        ints = all(type(e.value) is cst.Integer for e in node.elements)
        fact = self.new_fact(node, "CL201", "set", "{...}", frame, severity="low" if ints else None)
        return Value(frozenset({fact}), rest=join_all(parts), elems=(), type="set")

    def eval_Dict(self, node: cst.Dict, frame: Frame) -> Value:
        out = Value(fields=(), type="dict")
        for element in node.elements:
            if type(element) is cst.StarredDictElement:
                spread = self.eval(element.value, frame)
                # A dict of unknown shape, or one that may be parsed data (`json.loads(...) if row else {}`):
                # its keys come in whatever order that dict has.
                unknown = spread.fields is None or any(f.latent for f in spread.facts)
                if unknown:
                    spread = replace(spread, facts=spread.facts | {self.new_fact(element, "CL204", "merged dict", "{**...}", frame, latent=True)})
                for key, value in spread.fields or ():
                    out = out.with_field(key, value)
                if spread.rest is not None or (unknown and spread.facts):
                    out = out.with_rest(join(spread.rest or EMPTY, Value(spread.facts)))
                continue
            key_value = self.eval(element.key, frame)
            value = self.eval(element.value, frame)
            if key_value.const is not None:
                out = out.with_field(key_value.const, value)
            else:
                out = out.with_rest(join(value, flat(key_value)))
        self.check_shapes(node, out, frame)
        if out.has_field("role") and frame.loops:
            # A turn built inside a loop: whether that loop has ended by the send decides if it is one of many.
            loops = tuple(frame.loops)
            out = map_facts(out, lambda f: f if f.turn_loops is not None or origin(f) in frame.stored else replace(f, turn_loops=loops))
        return out

    def check_shapes(self, node: cst.Dict | cst.Tuple, value: Value, frame: Frame) -> None:
        """A dict literal shaped like a system message or a tool definition (or a `("system", text)`
        pair) is a sink where it is built."""
        form = "tuple" if type(node) is cst.Tuple else "dict"
        if form == "tuple":
            parts = {str(i): e for i, e in enumerate(value.elems or ())} if value.rest is None else {}
            has, get = parts.__contains__, parts.__getitem__
        else:
            has, get = value.has_field, value.field
        for shape in self.k.shapes:
            if shape.form != form or not all(has(k) and (allowed is None or get(k).const in allowed) for k, allowed in shape.when):
                continue
            if shape.packages and not self.names_any(shape.packages):
                continue
            if shape.segment == "system" and frame.after_turn:
                continue  # written after a user or assistant turn of the same list: not the system prompt
            if shape.any_of and not any(has(k) for k in shape.any_of):
                continue
            for name in shape.fields:
                if has(name):
                    site = SinkSite(shape.id, SHAPE_PROVIDER, f"{shape.id} {form}", name, self.span(node))
                    self.sink_reached(get(name), SinkArgument(name=name, segment=shape.segment), site, frame)

    def eval_comprehension(self, node: cst.BaseComp, frame: Frame, parts: list[cst.BaseExpression], type_: str) -> Value:
        saved = dict(frame.env)
        stored: set[tuple] = set()
        comp: cst.CompFor | None = node.for_in
        while comp is not None:
            element = element_of(self.eval(comp.iter, frame))
            # Values kept in the records (`self.log.append((role, text, time.time()))`) were made once
            # per record: rendering them again gives the same text every turn. Records that were
            # themselves rebuilt for this call (a role dict comprehension) still carry `batch`.
            stored |= {origin(f) for f in all_facts(element) if not f.batch and not f.is_param}
            if any(selects_system_turns(cond.test) for cond in comp.ifs):
                # The system messages of a history are its fixed opening, not the turns it gains.
                element = sanitized(element, ("CL302",))
            self.assign(comp.target, as_element(element, id(node)), frame)
            for cond in comp.ifs:
                self.eval(cond.test, frame)
            comp = comp.inner_for_in
        value = collected(join_all(self.eval(p, frame) for p in parts), (id(node), *frame.loops))
        if value.has_field("role"):
            # Turns made all at once, before the list is sent: a history rebuilt per call.
            value = map_facts(value, lambda f: f if f.batch or origin(f) in stored else replace(f, batch=True))
        frame.env = saved
        return Value(elems=(), rest=value, type=type_)

    def eval_ListComp(self, node: cst.ListComp, frame: Frame) -> Value:
        return self.eval_comprehension(node, frame, [node.elt], "list")

    def eval_GeneratorExp(self, node: cst.GeneratorExp, frame: Frame) -> Value:
        return self.eval_comprehension(node, frame, [node.elt], "list")

    def eval_SetComp(self, node: cst.SetComp, frame: Frame) -> Value:
        value = self.eval_comprehension(node, frame, [node.elt], "set")
        return replace(value, facts=value.facts | {self.new_fact(node, "CL201", "set", "{... for ...}", frame)})

    def eval_DictComp(self, node: cst.DictComp, frame: Frame) -> Value:
        kept = self.filtered_copy(node, frame)
        if kept is not None:
            return kept
        value = self.eval_comprehension(node, frame, [node.key, node.value], "dict")
        ordered: set[Fact] = set()
        comp: cst.CompFor | None = node.for_in
        while comp is not None:
            ordered |= {f for f in all_facts(self.eval(comp.iter, frame)) if f.rule.startswith("CL2")}
            comp = comp.inner_for_in
        rest = map_facts(value.rest, lambda f: replace(f, key_order=True) if f in ordered else f) if ordered and value.rest is not None else value.rest
        return Value(fields=(), rest=rest, type="dict")

    def filtered_copy(self, node: cst.DictComp, frame: Frame) -> Value | None:
        """`{k: v for k, v in params.items() if k not in INTERNAL}`: a copy of a dict whose keys are
        known, less some of them; each kept key holds what it held (all are kept here: a key the
        filter drops is not sent, and keeping it can only report more)."""
        comp = node.for_in
        target, iterable = comp.target, comp.iter
        if comp.inner_for_in is not None or type(target) is not cst.Tuple or len(target.elements) != 2:
            return None
        names = [e.value.value if type(e.value) is cst.Name else None for e in target.elements]
        if type(node.key) is not cst.Name or type(node.value) is not cst.Name or [node.key.value, node.value.value] != names:
            return None
        if type(iterable) is not cst.Call or type(iterable.func) is not cst.Attribute or iterable.func.attr.value != "items" or iterable.args:
            return None
        source = self.eval(iterable.func.value, frame)
        if source.fields is None:
            return None
        return Value(source.facts, fields=source.fields, rest=source.rest, type="dict")

    def eval_BinaryOperation(self, node: cst.BinaryOperation, frame: Frame) -> Value:
        if type(node.operator) is cst.Add:
            leaves = add_chain(node)
            outer_after_turn = frame.after_turn
            values = []
            for leaf in leaves:
                values.append(self.eval(leaf, frame))
                # `history + [{"role": "system", ...}]`: what follows the turns is not the system prompt.
                frame.after_turn = frame.after_turn or holds_turn(values[-1])
            frame.after_turn = outer_after_turn
            result = values[0]
            for value in values[1:]:
                result = concat(result, value)
            facts = self.layout_facts(node, [layout.Part(v, leaf) for v, leaf in zip(values, leaves)], frame)
            return replace(result, facts=result.facts | facts) if facts else result
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        if type(node.operator) is cst.BitOr:
            # `prompt | model | parser`: the chain fills the prompt template's placeholders.
            template = next((v for v in (left, right) if v.type and v.type.startswith(TEMPLATE)), None)
            if template is not None:
                return replace(template, facts=template.facts | all_facts(left) | all_facts(right))
        if type(node.operator) is cst.FloorDivide and type(node.right) is cst.Integer:
            return refine_clock(flat(left), {"60": "minute", "3600": "hour", "86400": "day"}.get(node.right.value))
        if type(node.operator) is cst.Modulo and left.const is not None:
            return Value(all_facts(right), type="str")
        if type(node.operator) is cst.Multiply:
            repeated = _repeated_text(left, node.right) or _repeated_text(right, node.left)
            if repeated is not None:
                return Value(all_facts(left) | all_facts(right), type="str", const=repeated)
        return Value(all_facts(left) | all_facts(right))

    def eval_Comparison(self, node: cst.Comparison, frame: Frame) -> Value:
        self.eval_children(node, frame)
        return EMPTY

    def eval_UnaryOperation(self, node: cst.UnaryOperation, frame: Frame) -> Value:
        value = self.eval(node.expression, frame)
        return EMPTY if type(node.operator) is cst.Not else flat(value)

    def eval_BooleanOperation(self, node: cst.BooleanOperation, frame: Frame) -> Value:
        return join(self.eval(node.left, frame), self.eval(node.right, frame))

    def eval_IfExp(self, node: cst.IfExp, frame: Frame) -> Value:
        self.eval(node.test, frame)
        return join(self.eval(node.body, frame), self.eval(node.orelse, frame))

    def eval_NamedExpr(self, node: cst.NamedExpr, frame: Frame) -> Value:
        value = self.eval(node.value, frame)
        self.assign(node.target, value, frame)
        return value

    def eval_Await(self, node: cst.Await, frame: Frame) -> Value:
        return self.eval(node.expression, frame)

    def eval_Lambda(self, node: cst.Lambda, frame: Frame) -> Value:
        return EMPTY

    def eval_Yield(self, node: cst.Yield, frame: Frame) -> Value:
        if isinstance(node.value, cst.BaseExpression):
            frame.returns = join(frame.returns, collected(self.eval(node.value, frame), frame.loops))
        return EMPTY

    # ----------------------------------------------------------------- calls
    def forwarded(self, node: cst.Call) -> cst.Call | None:
        """What a forwarder call (`rules/sinks.yaml`) calls: `F(*rest)` for `asyncio.to_thread(F,
        *rest)` or `sync_to_async(F)(*rest)`, a node standing for this call (its span is this call's);
        the body of `lambda: F(...)` given without arguments. None for any other call."""
        key = id(node)
        if key not in self._forwarded:
            self._forwarded[key] = self._forward(node)
        return self._forwarded[key]

    def _forward(self, node: cst.Call) -> cst.Call | None:
        inner = node.func if type(node.func) is cst.Call else self._bound_call(node.func)
        made = self._forwarder_args(inner) if inner is not None else self._forwarder_args(node)
        if made is None:
            return None
        target, before = made
        after = list(node.args) if inner is not None else []
        if type(target) is cst.Lambda:
            lambda_body = target.body
            no_params = not lambda_params(target) and type(target.params.star_arg) is not cst.Param and target.params.star_kwarg is None
            return lambda_body if no_params and not before and not after and type(lambda_body) is cst.Call else None
        passed = [*before, *after]
        # Python's order: positional, `*args`, keywords, `**kwargs` (a partial's keywords come before
        # the positional arguments of its call).
        ordered = sorted(passed, key=lambda a: 0 if a.keyword is None and not a.star else 1 if a.star == "*" else 3 if a.star == "**" else 2)
        try:
            stand_in = cst.Call(func=target, args=ordered)
        except cst.CSTValidationError:
            return None
        self.positions.stand_in(stand_in, node)
        return stand_in

    def _bound_call(self, func: cst.BaseExpression) -> cst.Call | None:
        """For `send(...)` after `send = functools.partial(client.messages.create, ...)`: that
        partial, when it is the only value the module ever gives the name."""
        if type(func) is not cst.Name or "partial" not in self.source:
            return None
        if self._bound is None:
            values: dict[str, list[cst.BaseExpression]] = {}
            for statement in walk(self.module):
                if type(statement) is cst.Assign:
                    for target in statement.targets:
                        if type(target.target) is cst.Name:
                            values.setdefault(target.target.value, []).append(statement.value)
            self._bound = {name: found[0] for name, found in values.items() if len(found) == 1 and type(found[0]) is cst.Call}
        return self._bound.get(func.value)

    def _forwarder_args(self, node: cst.Call) -> tuple[cst.BaseExpression, list[cst.Arg]] | None:
        """(the callable, the arguments passed on) of a forwarder call, else None."""
        if not self.k.forwarders:
            return None
        method = node.func.attr.value if type(node.func) is cst.Attribute else None
        if (method or (node.func.value if type(node.func) is cst.Name else None)) not in self._forwarder_words:
            return None  # most calls: no qualified name needed
        dotted = dotted_name(node.func)
        qualname = qualify(dotted, self.aliases) if dotted else None
        for forwarder in self.k.forwarders:
            if (forwarder.call is None or forwarder.call != qualname) and (forwarder.method is None or forwarder.method != method):
                continue
            skipped = 0  # positional arguments ahead of the callable (`run_in_executor`'s executor)
            target: cst.Arg | None = None
            rest: list[cst.Arg] = []
            for arg in node.args:
                if target is not None:
                    rest.append(arg)
                elif arg.star:
                    return None  # the callable's position is unknown
                elif arg.keyword is None and skipped == forwarder.callable:
                    target = arg
                elif arg.keyword is None:
                    skipped += 1
                else:
                    rest.append(arg)
            return (target.value, rest) if target is not None else None
        return None

    def eval_Call(self, node: cst.Call, frame: Frame) -> Value:
        forwarded = self.forwarded(node)
        if forwarded is not None:
            return self.eval(forwarded, frame)
        func = node.func
        # `Agent[Customer](...)`: a generic class called with its type parameters.
        dotted = dotted_name(func.value if type(func) is cst.Subscript else func)
        qualname = qualify(dotted, self.aliases) if dotted else None
        if qualname is not None and not self.is_local(qualname):
            source = self.k.source_for(qualname)
            if source is not None and source.volatile_with(len(node.args)) and source.applies(first_string(node), self.in_loop(frame)):
                args = self.eval_args(node, frame)
                made = self.make_source(node, source, dotted or qualname, frame, args)
                if source.in_place and node.args:
                    # `random.shuffle(examples)`: the list itself now changes with every call.
                    changed = args[0]
                    self.assign(node.args[0].value, replace(changed, facts=changed.facts | made.facts), frame)
                    return EMPTY
                return made
        if type(func) is cst.Attribute:
            first = node.args[0].value if node.args else None
            first_text = first_string(node)
            if type(first) is cst.Name and first.value in frame.env:
                first_text = frame.env[first.value].const
            source = self.k.method_source_for(func.attr.value, first_text if isinstance(first_text, str) else None, self.in_loop(frame))
            if source is not None:
                receiver = self.eval(func.value, frame)
                args = self.eval_args(node, frame)
                return self.make_source(node, source, f".{func.attr.value}", frame, [flat(receiver), *args])
        sink = self.match_sink(node, qualname)
        if sink is not None:
            placeholders = self.check_sink(node, sink, frame)
            if sink.fills and placeholders:
                # A prompt template: what fills its system placeholders later is sent as system text.
                return Value(fields=tuple((name, Value(const=segment)) for name, segment in placeholders.items()), type=f"{TEMPLATE}{sink.id}")
            return EMPTY
        if qualname == "dict" and not self.is_local("dict"):
            return self.eval_dict_call(node, frame)
        unordered = self.k.unordered_dict_for(qualname, func.attr.value if type(func) is cst.Attribute else None)
        if unordered is not None and not (qualname and self.is_local(qualname)):
            inputs = [flat(self.eval(func.value, frame))] if type(func) is cst.Attribute else []
            if unordered.one:
                inputs = [without(v, lambda f: f.rule == "CL203") for v in inputs]
            inputs += self.eval_args(node, frame)
            latent = self.new_fact(node, "CL204", unordered.kind, (dotted or func.attr.value if type(func) is cst.Attribute else "") + "()", frame, latent=True)
            # The parsed data still varies with what was read (a listing's order, a volatile URL).
            return Value(frozenset({latent}) | frozenset().union(*(all_facts(v) for v in inputs)))
        if qualname is not None and not self.is_local(qualname):
            serialized = self.apply_serializer(node, qualname, dotted or qualname, frame)
            if serialized is not None:
                return serialized
            sanitized = self.apply_library_call(node, qualname, frame)
            if sanitized is not None:
                return sanitized
        # Calls into this module's own functions, methods and classes.
        callee = self.eval(func, frame) if type(func) is not cst.Attribute else None
        if type(func) is cst.Attribute:
            receiver = self.eval(func.value, frame)
            if receiver.type and receiver.type.startswith("extmod:"):
                callee = self.imported(f"{receiver.type[len('extmod:'):]}.{func.attr.value}")
                if callee.type and callee.type.startswith("ext:"):
                    return self.apply_external(callee.type[len("ext:") :], node, frame)
                if callee.type and callee.type.startswith("classdef:"):
                    return self.construct_foreign(callee.type[len("classdef:") :], node, frame)
                self.eval_args(node, frame)
                return flat(callee)
            cls = class_of(receiver)
            if cls is not None and cls in self.classes and func.attr.value in self.classes[cls].methods:
                return self.apply_call(self.classes[cls].methods[func.attr.value], node, frame, receiver)
            foreign = self.foreign_class(cls)
            method = foreign.method(func.attr.value) if foreign is not None else None
            if method is not None:
                return self.apply_summary(list(method.params), method.returns, list(method.param_sinks), node, frame)
            if receiver.type and receiver.type.startswith(TEMPLATE):
                filled = self.fill_template(node, func.attr.value, receiver, frame)
                if filled is not None:
                    return filled
            return self.eval_method(node, func, receiver, frame)
        if callee is not None and callee.type:
            if callee.type.startswith("ext:"):
                return self.apply_external(callee.type[len("ext:") :], node, frame)
            if callee.type.startswith("func:") and callee.type[5:] in self.functions:
                return self.apply_call(self.functions[callee.type[5:]], node, frame, None)
            if callee.type.startswith("classdef:") and callee.type[len("classdef:") :] not in self.classes:
                return self.construct_foreign(callee.type[len("classdef:") :], node, frame)
            if callee.type.startswith("classdef:"):
                name = callee.type[len("classdef:") :]
                for method in INITIALIZERS:
                    init = self.classes[name].methods.get(method)
                    if init is not None:
                        self.apply_call(init, node, frame, Value(type=f"class:{name}"))
                if node.args:
                    self.bind_instance(name, node, frame)
                return Value(type=f"class:{name}")
        args = self.eval_args(node, frame)
        return Value(frozenset().union(*(all_facts(a) for a in args)) | (callee.facts if callee else frozenset()))

    def construct_foreign(self, name: str, node: cst.Call, frame: Frame) -> Value:
        """`Settings(...)` of another module's class: the sinks its `__init__` passes its
        arguments to are reached; the object is of that class."""
        foreign = self.foreign_class(name)
        init = foreign.method("__init__") if foreign is not None else None
        if init is not None:
            self.apply_summary(list(init.params), EMPTY, list(init.param_sinks), node, frame)
        else:
            self.eval_args(node, frame)
        return Value(type=f"class:{name}") if foreign is not None else EMPTY

    def eval_dict_call(self, node: cst.Call, frame: Frame) -> Value:
        out = Value(fields=(), type="dict")
        for arg in node.args:
            value = self.eval(arg.value, frame)
            if arg.keyword is not None:
                out = out.with_field(arg.keyword.value, value)
            else:
                for key, field_value in value.fields or ():
                    out = out.with_field(key, field_value)
                if value.fields is None:
                    out = out.with_rest(value.element() if value.elems is not None or value.rest is not None else value)
        return out

    def eval_args(self, node: cst.Call, frame: Frame) -> list[Value]:
        return [self.eval(arg.value, frame) for arg in node.args]

    def statement_span(self, node: cst.CSTNode, frame: Frame) -> Span:
        """Structural findings are reported at the statement that builds the prompt (its first line)."""
        if frame.statement is None:
            return self.span(node)
        line, col, _, _ = self.span(frame.statement)
        _, _, end_line, end_col = self.span(node)
        return (line, col, end_line, end_col)

    def is_local(self, qualname: str) -> bool:
        """A name defined in this module shadows a library function of the same name."""
        return qualname in self.functions or qualname in self.classes

    def new_fact(self, node: cst.CSTNode, rule: str, kind: str, shown: str, frame: Frame, **extra) -> Fact:
        line, col, end_line, end_col = self.statement_span(node, frame) if rule in LAYOUT_SEGMENTS else self.span(node)
        return Fact(rule=rule, kind=kind, source=shown, line=line, column=col, end_line=end_line, end_column=end_col, function=frame.key, loops=tuple(frame.loops), **extra)

    def make_source(self, node: cst.Call, source: Source, shown: str, frame: Frame, args: list[Value]) -> Value:
        granularity = source.granularity
        if granularity == "from-format":
            first = node.args[0].value if node.args else None
            text = string_value(first) if type(first) is cst.SimpleString else None
            granularity = strftime_granularity(text) if isinstance(text, str) else "second"
        fact = self.new_fact(node, source.rule, source.kind, f"{shown}()", frame, granularity=granularity, severity=source.severity)
        if source.rule.startswith("CL2"):
            # An ordering source keeps what it orders: `set(names)` still carries the names' facts.
            inner = join_all(a.element() if (a.elems is not None or a.rest is not None) else a for a in args)
            if source.names_only:
                # `os.listdir(os.path.join(os.getcwd(), "docs"))` gives bare names, not the folder's path.
                inner = without(inner, lambda f: f.rule == "CL103")
            return Value(frozenset({fact}) | all_facts(inner), elems=(), rest=inner if not inner.is_empty() else None, type=source.returns or "set")
        return Value(frozenset({fact}), type=source.returns)

    def apply_serializer(self, node: cst.Call, qualname: str, shown: str, frame: Frame) -> Value | None:
        """`json.dumps(d)`, `str(d)`: a dict of unfixed key order becomes CL204 here."""
        serializer = self.k.serializer_for(qualname)
        if serializer is None or not node.args:
            return None
        first = self.eval(node.args[0].value, frame)
        latent = [f for f in all_facts(first) if f.latent and not f.part]
        if serializer.parts:
            latent += [f for f in first.facts if f.latent and f.part]
        key_order = any(f.key_order for f in all_facts(first))
        # A parameter serialized here: the caller may pass parsed JSON (decided where it is called).
        # Only serializers that write a value read out of a dict as it is (json.dumps, repr).
        params = tuple(sorted({f.param.split(".")[0] for f in all_facts(first) if f.is_param and f.param})) if serializer.parts else ()
        if not latent and not key_order and not params:
            return None
        safe = serializer.default_safe
        for arg in node.args[1:]:
            if arg.keyword is not None and serializer.unless is not None and arg.keyword.value == serializer.unless[0]:
                value = arg.value
                safe = type(value) is cst.Name and value.value == str(serializer.unless[1])
            else:
                self.eval(arg.value, frame)
        if not latent and not key_order:
            # Only a parameter: the text is what it would be anyway (json.dumps of a request body
            # keeps its structure), plus what the callers' dicts may bring.
            if safe:
                return None
            given = self.new_fact(node, "CL204", "key order of the dict it is given", f"{shown}()", frame, needs=params)
            propagator = self.k.propagator_for(qualname)
            kept = first if propagator is not None and propagator.keeps == "structure" else flat(first)
            return replace(kept, facts=kept.facts | {given}, type=kept.type or "str")
        if not latent:
            return Value(all_facts(without(first, lambda f: f.key_order) if safe else first), type="str")
        text = without(first, lambda f: f.latent or safe and f.key_order)
        if safe:
            return Value(all_facts(text), type="str")
        fact = self.new_fact(node, "CL204", f"key order of {earliest(latent).kind}", f"{shown}()", frame)
        return Value(all_facts(text) | {fact}, type="str")

    def apply_library_call(self, node: cst.Call, qualname: str, frame: Frame) -> Value | None:
        sanitizer = self.k.sanitizer_for(qualname)
        if sanitizer is not None:
            args = self.eval_args(node, frame)
            if "all" in sanitizer.removes:
                return EMPTY
            kept = sanitized(join_all(a.element() if (a.elems is not None or a.rest is not None) else a for a in args), sanitizer.removes)
            if qualname in ("sorted", "reversed"):
                return Value(elems=(), rest=kept, type="list")
            return flat(kept)
        propagator = self.k.propagator_for(qualname)
        if propagator is None:
            return None
        args = self.eval_args(node, frame)
        first = args[propagator.value_arg] if len(args) > propagator.value_arg else EMPTY
        if propagator.keeps == "structure":
            return first
        if propagator.keeps == "elements":
            if first.elems is not None or first.rest is not None:
                return Value(first.facts, elems=first.elems, rest=first.rest, type="list")
            return Value(first.facts, elems=(), rest=first.element() if first.fields is not None else None, type="list")
        if propagator.format_arg is not None and len(args) > propagator.format_arg:
            fmt = args[propagator.format_arg].const
            if fmt is not None:
                return Value(all_facts(refine_clock(first, strftime_granularity(fmt))), type="str")
        return Value(all_facts(first), type="str")

    def eval_method(self, node: cst.Call, func: cst.Attribute, receiver: Value, frame: Frame) -> Value:
        name = func.attr.value
        outer_after_turn = frame.after_turn
        if name in ("append", "extend") or name == "insert" and not is_front(node):
            # `messages.append({"role": "system", ...})` after the turns: a note at the tail, not the system prompt.
            frame.after_turn = outer_after_turn or holds_turn(receiver)
        args = self.eval_args(node, frame)
        frame.after_turn = outer_after_turn
        sanitizer = self.k.method_sanitizer_for(name)
        if sanitizer is not None:
            return EMPTY if "all" in sanitizer.removes else flat(sanitized(receiver, sanitizer.removes))
        if name == "sort" and not args or name == "sort" and all(a.keyword is not None for a in node.args):
            fixed = {f for f in all_facts(receiver) if f.rule.startswith("CL2")}
            self.order_fixed(fixed, frame)
            self.assign(func.value, without(receiver, lambda f: f in fixed), frame)
            return EMPTY
        if name in LIST_MUTATORS and args:
            self.mutate(func.value, name, args, node, frame)
            return EMPTY
        if name in REMOVERS:
            self.note_attribute_change(func.value, frame)
        if name in self.clock_methods and any(f.rule == "CL101" for f in receiver.facts):
            spec = self.clock_methods[name]
            if isinstance(spec, int):
                fmt = args[spec].const if len(args) > spec else None
                return refine_clock(flat(receiver), strftime_granularity(fmt) if fmt is not None else "second")
            return refine_clock(flat(receiver), None if spec == "keep" else spec)
        if name == "format" and receiver.const is not None:
            positional = [layout.Part(v, a.value) for v, a in zip(args, node.args) if a.keyword is None and not a.star]
            named = {a.keyword.value: layout.Part(v, a.value) for v, a in zip(args, node.args) if a.keyword is not None}
            extra = self.layout_facts(node, layout.template_parts(receiver.const, positional, named), frame)
            return Value(frozenset().union(*(all_facts(a) for a in args)) | extra, type="str")
        if name == "join" and receiver.const is not None and node.args and type(node.args[0].value) in (cst.List, cst.Tuple):
            elements = node.args[0].value.elements
            pieces = args[0].elems or ()
            parts = [layout.Part(v, e.value) for v, e in zip(pieces, elements)]
            return Value(all_facts(args[0]) | self.layout_facts(node, parts, frame), type="str")
        if name in ("get", "pop") and args and args[0].const is not None:
            found = receiver.field(args[0].const)
            return join(found, args[1]) if len(args) > 1 else found
        if name in ("copy",) and not args:
            return receiver
        if name in ("items", "values", "keys"):
            return Value(elems=(), rest=join_all(v for _, v in receiver.fields or ()) if receiver.fields else receiver.element(), facts=receiver.facts)
        facts = set(all_facts(receiver))
        for a in args:
            facts |= all_facts(a)
        return Value(frozenset(facts), type="str" if name in STRING_METHODS else None)

    def stored(self, target: cst.BaseExpression, frame: Frame) -> Value:
        """What `self.todo` holds, for changing it (`.append`, `-= 1`): changing state is not a read
        of it for a prompt, so no changing-state fact of its own is made here."""
        value = self.eval(target, frame)
        if type(target) is cst.Attribute and type(target.value) is cst.Name:
            shown = f"{target.value.value}.{target.attr.value}"
            value = without(value, lambda f: f.rule == "CL302" and f.source == shown and f.line == self.span(target)[0])
        return value

    def note_attribute_change(self, target: cst.BaseExpression, frame: Frame) -> None:
        """`self.todos[i]["done"] = True`, `self.memory.append(x)`: the root attribute is changing state."""
        node = target
        while type(node) is cst.Subscript or (type(node) is cst.Attribute and type(node.value) is not cst.Name):
            node = node.value
        if type(node) is cst.Attribute and not frame.in_init:
            cls = class_of(self.eval(node.value, frame))
            if cls is not None and cls in self.classes:
                self.classes[cls].mutable.add(node.attr.value)

    def mutate(self, target: cst.BaseExpression, name: str, args: list[Value], node: cst.Call, frame: Frame) -> None:
        self.note_attribute_change(target, frame)
        args = [collected(a, frame.loops) for a in args]
        current = self.stored(target, frame)
        if name == "insert" and len(args) >= 2:
            if is_front(node):
                # A turn inserted at the front goes ahead of everything already there (CL301). Text
                # composed here for a message goes ahead of any replayed turns too (a system prompt
                # passed in as it is is usually fixed for the session, so that is left alone).
                content = block_text(args[1])
                composed = args[1].has_field("role") and not (content.type or "").startswith("param:")
                parts = [layout.Part(content, node.args[1].value)] + [layout.Part(block_text(e), None, replayed=composed and e.spread) for e in current.elems or ()]
                if composed and current.rest is not None:
                    parts.append(layout.Part(current.rest, None, replayed=True))
                inserted = args[1]
                facts = self.layout_facts(node, parts, frame)
                if facts:
                    inserted = replace(inserted, facts=inserted.facts | frozenset(facts))
                updated = Value(current.facts, elems=(inserted, *(current.elems or ())), rest=current.rest, type=current.type or "list")
            else:
                updated = current.with_rest(args[1])
        elif name in ("append", "extend") and len(args) == 1 and not frame.loops and current.elems is not None and current.rest is None:
            if name == "append":
                self.wrote(args[0], node.args[0].value)
                updated = self.extend_in_order(current, (args[0],), node, frame)
            elif args[0].elems is not None and args[0].rest is None:
                updated = self.extend_in_order(current, args[0].elems, node, frame)
            else:
                updated = current.with_rest(args[0].element())
        elif name in ("extend", "extendleft"):
            updated = current.with_rest(args[0].element())
        elif name == "update":
            updated = current
            for key, value in args[0].fields or ():
                updated = updated.with_field(key, value)
            if args[0].fields is None:
                updated = updated.with_rest(flat(args[0]))
        elif name == "setdefault" and len(args) >= 2 and args[0].const is not None:
            updated = current.with_field(args[0].const, args[1]) if not current.has_field(args[0].const) else current
        else:
            updated = current.with_rest(args[-1])
        if updated.elems is None and updated.fields is None:
            updated = replace(updated, elems=())
        self.assign(target, updated, frame)

    def extend_in_order(self, current: Value, items: tuple[Value, ...], node: cst.Call, frame: Frame) -> Value:
        """`blocks.append(x)`, `blocks.extend([x, y])` in straight-line code on a list of known
        elements: the items follow them, in order.

        Blocks added one by one are laid out like a list literal: per-request text added ahead of
        long static text is CL301, reported where that text was written.
        """
        elems = (*(current.elems or ()), *items)
        facts: frozenset[Fact] = frozenset()
        if len(elems) >= 2 and any(e.fields is not None for e in elems):
            parts = [layout.Part(block_text(e), self.written_at(e)) for e in elems]
            finding = layout.dynamic_before_static(parts)
            if finding is not None and finding.dynamic.node is not None:
                fact = next(iter(self.layout_facts(node, parts, frame)))
                line, col, end_line, end_col = self.span(finding.dynamic.node)
                facts = frozenset({replace(fact, line=line, column=col, end_line=end_line, end_column=end_col)})
        return Value(current.facts | facts, elems=elems, type=current.type or "list")

    def wrote(self, value: Value, node: cst.BaseExpression) -> None:
        """Remember the expression a list element came from (the value is kept, so its id stays its own)."""
        self.element_nodes[id(value)] = (value, node)

    def written_at(self, value: Value) -> cst.BaseExpression | None:
        """The text expression of the list element `value` came from, if known."""
        kept, node = self.element_nodes.get(id(value), (None, None))
        return block_text_node(node) if kept is value and node is not None else None

    # ----------------------------------------------------------------- sinks
    def match_sink(self, node: cst.Call, qualname: str | None) -> Sink | None:
        """The first sink (in rule order) that names this call or one of whose methods ends its receiver chain."""
        lookup = self.k.sink_lookup
        first = lookup.by_call.get(qualname, len(self.k.sinks)) if qualname is not None else len(self.k.sinks)
        if type(node.func) is cst.Attribute:
            chain = receiver_chain(node.func)
            for position, parts in lookup.by_method.get(chain[-1], ()):
                if position >= first:
                    break
                sink = self.k.sinks[position]
                if len(chain) >= len(parts) and tuple(chain[-len(parts) :]) == parts and self.has_required(node, sink):
                    first = position
                    break
        return self.k.sinks[first] if first < len(self.k.sinks) else None

    @staticmethod
    def has_required(node: cst.Call, sink: Sink) -> bool:
        if not sink.requires:
            return True
        for arg in node.args:
            if arg.star == "**" or (arg.keyword is not None and arg.keyword.value in sink.requires):
                return True
        return False

    def check_sink(self, node: cst.Call, sink: Sink, frame: Frame) -> dict[str, str]:
        """Record what reaches the request's prefix; returns the `{name}` placeholders of template
        arguments that lie in system text, with their segment."""
        placeholders: dict[str, str] = {}
        kwargs: dict[str, Value] = {}
        positional: list[Value] = []
        called_frames: dict[str | int, Frame] = {}  # arguments the library calls: where they run
        for arg in node.args:
            value, where = self.eval_library_argument(arg.value, frame)
            if where is not frame:
                called_frames[arg.keyword.value if arg.keyword is not None else len(positional)] = where
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            elif arg.star == "**":
                for key, field_value in value.fields or ():
                    kwargs[key] = field_value
                if value.type and value.type.startswith("param:") and not value.fields:
                    for argument in sink.arguments:
                        site = SinkSite(sink.id, sink.provider, self.call_text(node), argument.name, self.span(node))
                        self.record_param_sink(Value(value.facts, type=f"{value.type}.{argument.name}"), argument, site, frame)
            elif not arg.star:
                positional.append(value)
        later_breakpoint = "cache_control" in kwargs or any(has_key_deep(kwargs[k], key) for k in ("messages",) if k in kwargs for key in self.k.breakpoint_keys)
        chain = self.call_text(node)
        # A loop variable that picks the whole history (`histories[worker]`, not just a new turn in it)
        # picks the conversation: what else it picks (`WORKERS[worker]` as the system prompt) is the
        # same for every request of that conversation.
        history = next((a for a in sink.arguments if a.layout in ("history", "chat") and a.name in kwargs), None)
        selectors = {f.source for f in kwargs[history.name].facts if is_loop_state(f)} if history is not None else set()
        for argument in sink.arguments:
            value = kwargs.get(argument.name)
            if value is not None and selectors and argument is not history:
                value = without(value, lambda f: is_loop_state(f) and f.source in selectors)
            where = called_frames.get(argument.name, frame)
            if value is None and argument.position is not None and argument.position < len(positional):
                value = positional[argument.position]
                where = called_frames.get(argument.position, frame)
            if value is None:
                continue
            for key in argument.path:
                value = value.field(key)
            site = SinkSite(sink.id, sink.provider, chain, argument.name + "".join(f"[{k!r}]" for k in argument.path), self.span(node))
            layout = argument
            if argument.layout == "blocks" and later_breakpoint:
                layout = replace(argument, layout="whole")
            self.sink_reached(value, layout, site, where)
            if argument.template:
                expression = keyword_or_position(node, argument)
                for text in template_texts(expression, argument.layout) if expression is not None else ():
                    names = self.check_template(text, replace(argument, segment="system", layout="whole"), site, frame)
                    placeholders.update((name, "system") for name in names)
                for element in value.elems or ():
                    if element.type and element.type.startswith(TEMPLATE):  # a system message template inside a chat prompt
                        placeholders.update((name, segment.const or "system") for name, segment in element.fields or ())
        return placeholders

    def eval_library_argument(self, expression: cst.BaseExpression, frame: Frame) -> tuple[Value, Frame]:
        """A sink's argument and the frame it is sent from. A lambda or a module function given for
        the text (`Agent(instructions=build)`) is called by the library for every request: what it
        returns is sent, from where it runs, whenever the agent was built."""
        if type(expression) is cst.Lambda:
            return self.eval_lambda_body(expression, frame)
        value = self.eval(expression, frame)
        if value.type and value.type.startswith("ext:") and self.project is not None:
            # A function of another checked module (`instructions=triage_instructions`, imported).
            found = self.project.lookup(value.type[len("ext:") :])
            exported = found[0].function(found[1]) if found is not None else None
            if exported is not None:
                return without(exported.returns, lambda f: f.is_param), Frame(key=value.type, env={})
        called = self.functions.get(value.type[len("func:") :]) if value.type and value.type.startswith("func:") else None
        if called is None:
            return value, frame
        return self.summary(called).returns, Frame(key=called.key, env={}, cls=called.cls)

    def eval_lambda_body(self, function: cst.Lambda, frame: Frame) -> tuple[Value, Frame]:
        """What a lambda returns when called later, and the frame its body runs in: its parameters
        unknown, and run per call even when the lambda was made at import."""
        where = replace(frame, env={**frame.env, **dict.fromkeys(lambda_params(function), EMPTY)}, is_module=False)
        return self.eval(function.body, where), where

    def fill_template(self, node: cst.Call, method: str, template: Value, frame: Frame) -> Value | None:
        """`chain.invoke({"now": ...})`, `prompt.format_messages(now=...)`: a value given for a
        placeholder in system text is sent in the system segment. None for other methods."""
        sink = next((s for s in self.k.sinks if template.type == f"{TEMPLATE}{s.id}"), None)
        if sink is None or method not in sink.fills:
            return None
        given: list[tuple[str, Value, Frame]] = []
        for arg in node.args:
            where = frame
            if type(arg.value) is cst.Lambda:
                # `partial(now=lambda: datetime.now())`: the function runs at every format, even
                # when the template is built at import.
                value, where = self.eval_lambda_body(arg.value, frame)
            else:
                value = self.eval(arg.value, frame)
            if arg.keyword is not None:
                given.append((arg.keyword.value, value, where))
            elif not arg.star or arg.star == "**":
                given.extend((key, field_value, where) for key, field_value in value.fields or ())
        segments = dict((name, segment.const) for name, segment in template.fields or ())
        receiver = node.func.value if type(node.func) is cst.Attribute else None
        # `ChatPromptTemplate.from_messages(...).partial`, not `?.partial`.
        chain = f"{self.call_text(receiver)}(...).{method}" if type(receiver) is cst.Call else self.call_text(node)
        for name, value, where in given:
            segment = segments.get(name)
            if isinstance(segment, str):
                site = SinkSite(sink.id, sink.provider, chain, f"{{{name}}}", self.span(node))
                self.sink_reached(value, SinkArgument(name=name, segment=segment), site, where)
        return template if method in sink.keeps else EMPTY

    def check_template(self, text: cst.BaseExpression, argument: SinkArgument, site: SinkSite, frame: Frame) -> list[str]:
        """CL301: a template placeholder (filled per request) ahead of long static text. Returns
        the names of the text's placeholders (filled later, by `fill_template`)."""
        leaves = add_chain(text) if type(text) is cst.BinaryOperation else [text]
        parts: list[layout.Part] = []
        names: list[str] = []
        for leaf in leaves:
            value = self.eval(leaf, frame)
            if value.const is None:
                parts.append(layout.Part(value, leaf))
                continue
            named = {m.group(1): layout.Part(param_value(frame.key, m.group(1)), leaf) for m in layout.PLACEHOLDER.finditer(value.const) if m.group(1)}
            names += named
            parts.extend(layout.template_parts(value.const, [], named))
        finding = layout.dynamic_before_static(parts)
        if finding is None or finding.dynamic.node is None:
            return names
        name = min((f.param.split(".")[0] for f in finding.dynamic.value.facts if f.param), default="value")
        fact = self.new_fact(finding.dynamic.node, "CL301", layout.what_follows(finding), f"{{{name}}}", frame, severity=layout.severity_for(finding))
        # The call can span many lines; the template text holding the placeholder is the place to fix.
        line, col, end_line, end_col = self.span(finding.dynamic.node)
        fact = replace(fact, line=line, column=col, end_line=end_line, end_column=end_col)
        self.check_sink_value(Value(frozenset({fact})), argument, site, frame)
        return names

    def sink_reached(self, value: Value, argument: SinkArgument, site: SinkSite, frame: Frame) -> None:
        """`value` is sent as `argument` at `site`: record hits, and parameter flows for callers."""
        self.record_param_sink(value, argument, site, frame)
        self.check_sink_value(value, argument, site, frame)

    def record_param_sink(self, value: Value, argument: SinkArgument, site: SinkSite, frame: Frame) -> None:
        if frame.is_module:
            return
        if value.type and value.type.startswith("param:") and len(value.facts) == 1:
            name, *path = value.type[len("param:") :].split(".")
            frame.param_sinks.append(ParamSink(name, tuple(path), argument, site, exact=True))
            return
        for fact, _segment in prefix_facts(value, argument, self.k.breakpoint_keys):
            if fact.is_param and fact.param is not None:
                name, *path = fact.param.split(".")
                frame.param_sinks.append(ParamSink(name, tuple(path), argument, site, exact=False, cleared=fact.cleared))

    @staticmethod
    def call_text(node: cst.Call) -> str:
        if type(node.func) is cst.Attribute:
            return ".".join(receiver_chain(node.func))
        return dotted_name(node.func.value if type(node.func) is cst.Subscript else node.func) or "call"

    def check_sink_value(self, value: Value, argument: SinkArgument, site: SinkSite, frame: Frame) -> None:
        def batch(fact: Fact) -> bool:
            made_in = fact.turn_loops
            return fact.batch or (made_in is not None and fact.function == frame.key and not set(made_in) <= set(frame.loops))

        for fact, segment in prefix_facts(value, argument, self.k.breakpoint_keys, batch):
            if not fact.reportable or (fact.rule in LAYOUT_SEGMENTS and segment not in LAYOUT_SEGMENTS[fact.rule] and fact.kind != layout.REPLAYED_HISTORY):
                continue
            # A loop variable changes per turn only where each pass sends a request: a message dict
            # built in a loop over the tools (a shape, not a request) is built the same every turn.
            if is_loop_state(fact) and (site.provider == SHAPE_PROVIDER or not (fact.function == frame.key and set(fact.loops) <= set(frame.loops))):
                continue
            if fact.element:
                continue  # an element's place in an iteration, not its content: only the collected order counts
            scope = fact.scope
            if frame.is_module and not frame.loops:
                scope = PER_PROCESS  # sent or built once, at import: the value is fixed for the process
            elif scope != PER_PROCESS and frame.in_init and not frame.loops:
                scope = PER_SESSION  # sent or built once per object, as it is set up (an agent made in `__init__`)
            elif scope != PER_PROCESS and fact.function == frame.key and is_strict_prefix(fact.loops, tuple(frame.loops)):
                scope = PER_SESSION
            if scope == PER_SESSION and argument.layout in ("history", "chat") and segment == "messages":
                # Computed once per conversation and replayed unchanged: the history stays stable.
                continue
            self.hits.add(SinkHit(fact=fact, segment=segment, site=site, scope=scope))


PATH_COMPONENTS = frozenset({"name", "stem", "suffix", "suffixes"})
# Longest text `"-" * 80` or `RULES * 2` is folded into: enough for any prompt's static part.
MAX_REPEATED_TEXT = 1_000_000


def _repeated_text(text: Value, count: cst.BaseExpression) -> str | None:
    """The text of a string constant repeated a literal number of times, when it is not huge."""
    if text.const is None or type(count) is not cst.Integer:
        return None
    times = count.evaluated_value
    if not isinstance(times, int) or len(text.const) * max(times, 0) > MAX_REPEATED_TEXT:
        return None
    return text.const * times


# The provider of a shape sink's site: a dict shaped like a prompt segment, wherever it is built.
SHAPE_PROVIDER = "any"
# The type of a prompt template's value (with the sink id): its fields map placeholders to segments.
TEMPLATE = "prompt-template:"
# Layout rules apply to these segments only: a per-turn value in the messages is expected.
LAYOUT_SEGMENTS = {"CL301": ("system", "tools"), "CL302": ("system",)}
STRING_METHODS = frozenset({"format", "join", "strip", "lstrip", "rstrip", "upper", "lower", "replace", "title", "encode", "decode", "format_map", "capitalize", "casefold", "center", "ljust", "rjust", "zfill", "removeprefix", "removesuffix", "render", "substitute", "safe_substitute"})


def prefix_facts(
    value: Value, argument: SinkArgument, breakpoint_keys: tuple[str, ...], batch: Callable[[Fact], bool] = lambda fact: False
) -> Iterator[tuple[Fact, str]]:
    """The facts of `value` that land in the cached prefix, with their segment.

    In a history, elements at unknown positions are the growing tail (the newest turn), except
    those a finished loop made (`batch`): a history rebuilt per call holds one per earlier turn.
    """
    layout = argument.layout
    if layout == "whole":
        for fact in all_facts(value):
            yield fact, argument.segment
        return
    if layout == "blocks":
        if value.elems is None:
            for fact in all_facts(value):
                yield fact, argument.segment
            return
        for fact in value.facts:
            yield fact, argument.segment
        marked = [i for i, e in enumerate(value.elems) if any(e.has_field(k) for k in breakpoint_keys)]
        cached = value.elems[: marked[-1] + 1] if marked and value.rest is None else value.elems
        for element in cached:
            for fact in all_facts(element):
                yield fact, argument.segment
        if not marked and value.rest is not None:
            for fact in all_facts(value.rest):
                yield fact, argument.segment
        return
    # history / chat: turns before the newest are replayed as the prefix.
    if value.rest is not None:
        for fact in all_facts(value.rest):
            if batch(fact):
                yield fact, argument.segment
    if value.elems is None:
        return
    earlier = value.elems if value.rest is not None else value.elems[:-1]
    for element in earlier:
        segment = argument.segment
        if layout == "chat" and is_system_turn(element):
            segment = "system"
        for fact in all_facts(element):
            yield fact, segment
    if layout == "chat" and value.elems and value.rest is None:
        last = value.elems[-1]
        # Only system turns: they are the system prompt. A system turn after a user turn is the
        # newest message (a reminder at the tail), outside the prefix.
        if all(is_system_turn(e) for e in value.elems):
            for fact in all_facts(last):
                yield fact, "system"


def default_factory(expression: cst.BaseExpression) -> cst.BaseExpression | None:
    """The factory of a dataclass, pydantic or attrs field (`field(default_factory=f)`, `Field(default_factory=f)`,
    `attrs.field(factory=f)`), if `expression` declares one."""
    if type(expression) is not cst.Call:
        return None
    callee = dotted_name(expression.func) or ""
    for arg in expression.args:
        if arg.keyword is not None and (arg.keyword.value == "default_factory" or arg.keyword.value == "factory" and callee.rsplit(".", 1)[-1] in ("field", "ib", "attrib")):
            return arg.value
    return None


def origin(fact: Fact) -> tuple:
    """Where a fact's value was made, whatever was learnt about it since (a format's granularity,
    the turn that holds it)."""
    return (fact.rule, fact.source, fact.line, fact.column, fact.file)


def selects_system_turns(test: cst.BaseExpression) -> bool:
    """`m.role == "system"`, `m["role"] in ("system", "developer")`: a filter that keeps system messages."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if type(target.operator) not in (cst.Equal, cst.In):
        return False
    sides = (test.left, target.comparator)
    strings: list[cst.BaseExpression] = []
    for side in sides:
        if type(side) in (cst.Tuple, cst.List, cst.Set):
            strings += [e.value for e in side.elements]
        elif type(side) not in (cst.Attribute, cst.Subscript):
            strings.append(side)
    # Every role compared with is a string constant (`m.role in (ROLE, "system")` is not known).
    if not strings or not all(type(s) is cst.SimpleString for s in strings):
        return False
    roles = {string_value(s) for s in strings}
    reads_role = any(
        (type(side) is cst.Attribute and side.attr.value == "role") or (type(side) is cst.Subscript and subscript_key(side) == "role")
        for side in sides
    )
    return reads_role and roles <= {"system", "developer"}


def holds_turn(value: Value) -> bool:
    """A list that holds a user or assistant turn, or history spread into it."""
    return any(e.spread or (is_turn(e) and not is_system_turn(e)) for e in value.elems or ())


def is_turn(value: Value) -> bool:
    """A message: a dict with a `role`, or a LangChain `(role, text)` pair."""
    if value.has_field("role"):
        return True
    return value.elems is not None and len(value.elems) == 2 and value.rest is None and value.elems[0].const in PAIR_ROLES


def is_front(call: cst.Call) -> bool:
    """`x.insert(0, ...)`."""
    index = call.args[0].value if call.args else None
    return type(index) is cst.Integer and index.value == "0"


def is_system_turn(turn: Value) -> bool:
    """A `{"role": "system", ...}` dict, or a `("system", text)` pair of a LangChain prompt."""
    role = turn.field("role").const if turn.fields is not None else (turn.elems[0].const if turn.elems else None)
    return role in ("system", "developer")


def concat(left: Value, right: Value) -> Value:
    """`left + right` for strings (facts unite) and lists (positions are kept where known)."""
    is_seq = lambda v: v.elems is not None or v.rest is not None  # noqa: E731
    if not is_seq(left) and not is_seq(right):
        const = left.const + right.const if left.const is not None and right.const is not None else None
        return Value(all_facts(left) | all_facts(right), type=left.type or right.type, const=const)
    if is_seq(left) and left.rest is None:
        if right.elems is not None:
            return Value(left.facts | right.facts, elems=(left.elems or ()) + right.elems, rest=right.rest, type="list")
        return Value(left.facts, elems=left.elems, rest=flat(right) if not right.is_empty() else None, type="list")
    tail = right.element() if is_seq(right) else flat(right)
    body = left.rest if left.rest is not None else flat(left)
    return Value(left.facts, elems=left.elems or (), rest=join(body, tail), type="list")


def has_key_deep(value: Value, key: str) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if v.has_field(key):
            return True
        stack.extend(v.elems or ())
        if v.rest is not None:
            stack.append(v.rest)
        stack.extend(x for _, x in v.fields or ())
    return False


def is_strict_prefix(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return len(a) < len(b) and b[: len(a)] == a


def param_value(function: str, name: str) -> Value:
    fact = Fact(rule="", kind="parameter", source=name, line=0, column=0, end_line=0, end_column=0, function=function, param=name)
    return Value(frozenset({fact}), type=f"param:{name}")


def class_of(value: Value) -> str | None:
    if value.type and value.type.startswith("class:"):
        return value.type[len("class:") :]
    return None


def join_env(a: dict[str, Value], b: dict[str, Value]) -> dict[str, Value]:
    out = dict(a)
    for key, value in b.items():
        out[key] = join(out[key], value) if key in out else value
    return out


def refine_clock(value: Value, granularity: str | None) -> Value:
    """Set the granularity of the clock facts in `value` to what the formatting shows."""
    if granularity is None:
        return value
    return map_facts(value, lambda f: replace(f, granularity=granularity) if f.rule == "CL101" else f)


def strftime_granularity(fmt: str) -> str:
    """The finest unit a strftime format shows; a format without directives shows nothing volatile."""
    finest = None
    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            unit = STRFTIME_UNITS.get(fmt[i + 1].lstrip("-"))
            if fmt[i + 1] == "-" and i + 2 < len(fmt):
                unit = STRFTIME_UNITS.get(fmt[i + 2])
            if unit is not None and (finest is None or GRANULARITY_ORDER.index(unit) < GRANULARITY_ORDER.index(finest)):
                finest = unit
            i += 2
            continue
        i += 1
    return finest or "year"


def format_spec_text(part: cst.FormattedStringExpression) -> str | None:
    if part.format_spec is None:
        return None
    text = "".join(p.value for p in part.format_spec if type(p) is cst.FormattedStringText)
    return text if "%" in text else None


def at_path(value: Value, path: list[str]) -> Value:
    """The part of a caller's value a parameter path names (`*` for any element, `[]` for one
    looked up by key)."""
    for key in path:
        value = value.element() if key == "*" else looked_up(value).element() if key == "[]" else value.field(key)
    return value


def looked_up(container: Value) -> Value:
    """A container read by key: the order it was filled in is not in the value read."""
    return without(container, lambda f: f.rule.startswith("CL2") and f in container.facts)


def element_of(value: Value) -> Value:
    """Any one element, as iteration gives it; of a parameter, a placeholder for its elements
    (`for e in examples: e["text"]` is the caller's `examples[*]["text"]`)."""
    if value.type and value.type.startswith("param:") and value.elems is None and value.rest is None and value.fields is None:
        return deeper(value, "*")
    return value.element()


def deeper(placeholder: Value, key: str) -> Value:
    """A parameter placeholder one key or element (`*`) further in. The path is kept in the
    facts too, so that it survives being formatted into text."""
    facts = frozenset(replace(f, param=f"{f.param}.{key}") if f.is_param and f.param else f for f in placeholder.facts)
    return Value(facts, type=f"{placeholder.type}.{key}")


def first_string(call: cst.Call) -> str | None:
    """The text of a call's first argument when it is a string literal."""
    first = call.args[0].value if call.args else None
    text = string_value(first) if type(first) is cst.SimpleString else None
    return text if isinstance(text, str) else None


def is_whole_slice(node: cst.Subscript) -> bool:
    """`x[:]`."""
    if len(node.slice) != 1 or type(node.slice[0].slice) is not cst.Slice:
        return False
    whole = node.slice[0].slice
    return whole.lower is None and whole.upper is None and whole.step is None


def subscript_key(node: cst.Subscript) -> str | int | None:
    if len(node.slice) != 1 or type(node.slice[0].slice) is not cst.Index:
        return None
    value = node.slice[0].slice.value
    if type(value) is cst.SimpleString:
        evaluated = string_value(value)
        return evaluated if isinstance(evaluated, str) else None
    if type(value) is cst.Integer:
        return int(value.value, 0)
    if type(value) is cst.UnaryOperation and type(value.operator) is cst.Minus and type(value.expression) is cst.Integer:
        return -int(value.expression.value, 0)
    return None


def expression_children(node: cst.CSTNode) -> Iterator[cst.BaseExpression]:
    for child in children(node):
        if isinstance(child, cst.BaseExpression):
            yield child
        elif type(child) in (cst.Arg, cst.Element, cst.DictElement, cst.Index, cst.SubscriptElement, cst.FormattedStringExpression):
            yield from expression_children(child)


def block_statements(body: cst.BaseSuite) -> Iterator[cst.CSTNode]:
    if type(body) is cst.IndentedBlock:
        yield from body.body
    elif type(body) is cst.SimpleStatementSuite:
        # `if x: y = 1`: the suite itself is the statement (it has a position; a new node would not).
        yield body


def nested_statements(stmt: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Top-level definitions guarded by `if`/`try` (TYPE_CHECKING blocks, optional imports)."""
    if type(stmt) is cst.If:
        yield from block_statements(stmt.body)
        if type(stmt.orelse) is cst.Else:
            yield from block_statements(stmt.orelse.body)
    elif type(stmt) is cst.Try:
        yield from block_statements(stmt.body)


def keyword_or_position(call: cst.Call, argument: SinkArgument) -> cst.BaseExpression | None:
    """The expression passed for `argument` at this call, if written there."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == argument.name:
            return arg.value
    if argument.position is not None and argument.position < len(positional):
        return positional[argument.position].value
    return None


def template_texts(expression: cst.BaseExpression, layout_name: str) -> list[cst.BaseExpression]:
    """The template text expressions that are system text: the whole argument, or `("system", text)` pairs."""
    if layout_name != "chat":
        return [expression]
    if type(expression) not in (cst.List, cst.Tuple):
        return []
    texts = []
    for element in expression.elements:
        pair = element.value
        if type(pair) is cst.Tuple and len(pair.elements) == 2 and string_value(pair.elements[0].value) in ("system", "developer"):
            texts.append(pair.elements[1].value)
    return texts


def add_chain(node: cst.BinaryOperation) -> list[cst.BaseExpression]:
    """The operands of `a + b + c`, left to right."""
    leaves: list[cst.BaseExpression] = []
    stack: list[cst.BaseExpression] = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.BinaryOperation and type(current.operator) is cst.Add:
            stack.append(current.right)
            stack.append(current.left)
        else:
            leaves.append(current)
    return leaves


def block_text(value: Value) -> Value:
    """The text of a content block or message dict (`text` or `content`), else the value itself."""
    if value.has_field("text"):
        return value.field("text")
    if value.has_field("content"):
        return value.field("content")
    return value


def block_text_node(node: cst.BaseExpression) -> cst.BaseExpression:
    """The `text`/`content` value expression of a content-block dict literal, for display."""
    if type(node) is cst.Dict:
        for element in node.elements:
            if type(element) is cst.DictElement and type(element.key) is cst.SimpleString and string_value(element.key) in ("text", "content"):
                return element.value
    return node


def self_attributes(node: cst.BaseExpression) -> set[str]:
    """Names of `self.x` attributes mentioned in an expression (an `if` test)."""
    return {
        n.attr.value for n in walk(node) if type(n) is cst.Attribute and type(n.value) is cst.Name and n.value.value == "self"
    }


def counter_names(body: cst.BaseSuite) -> set[str]:
    """Numeric counters stepped inside a loop body (`step += 1`), not inside nested functions."""
    return {
        n.target.value
        for n in walk_scope(body)
        if type(n) is cst.AugAssign and type(n.target) is cst.Name and type(n.value) in (cst.Integer, cst.Float)
    }


def anchor_state(fact: Fact, span: Span) -> Fact:
    """Changing state read by a prompt function the framework calls is reported at the function."""
    if fact.rule != "CL302" or fact.anchored:
        return fact
    line, col, end_line, end_col = span
    return replace(fact, line=line, column=col, end_line=end_line, end_column=end_col, anchored=True)


def earliest(facts: list[Fact]) -> Fact:
    """The first of several origins in the source: facts come from sets, which have no order that
    is the same in every process."""
    return min(facts, key=lambda f: (f.file, f.line, f.column, f.kind, f.source))


def hit_order(hit: SinkHit) -> tuple:
    """A total order of hits: `hits` is a set, and which of two hits at the same place is named
    first must not depend on the process's hash seed (a parallel run must equal a serial one)."""
    fact, site = hit.fact, hit.site
    return (fact.line, fact.column, fact.end_line, fact.end_column, fact.rule, fact.kind, fact.source, fact.file, site.span, site.file, site.sink_id, site.argument, hit.segment, hit.scope)


def is_loop_state(fact: Fact) -> bool:
    return fact.rule == "CL302" and fact.kind.startswith("loop variable")


def equal_to_constant(test: cst.BaseExpression) -> tuple[str, str] | None:
    """`name == "text"` (either way round): the name and the text."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1 or type(test.comparisons[0].operator) is not cst.Equal:
        return None
    left, right = test.left, test.comparisons[0].comparator
    if type(right) is cst.Name and type(left) is cst.SimpleString:
        left, right = right, left
    if type(left) is not cst.Name or type(right) is not cst.SimpleString:
        return None
    text = string_value(right)
    return (left.value, text) if isinstance(text, str) else None


SCALAR_TYPES = frozenset({"int", "float", "str", "bool", "bytes"})


def scalar_instance(test: cst.BaseExpression) -> str | None:
    """`isinstance(name, int)` or `isinstance(name, (int, float))` with only scalar types: the name."""
    if not (type(test) is cst.Call and type(test.func) is cst.Name and test.func.value == "isinstance" and len(test.args) == 2):
        return None
    subject, kinds = test.args[0].value, test.args[1].value
    names = [e.value for e in kinds.elements] if type(kinds) is cst.Tuple else [kinds]
    if type(subject) is not cst.Name or not names or not all(type(n) is cst.Name and n.value in SCALAR_TYPES for n in names):
        return None
    return subject.value


def lambda_params(node: cst.Lambda) -> list[str]:
    params = node.params
    return [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]


def target_names(target: cst.BaseExpression) -> set[str]:
    """Names bound by a `for` target (`for i, (a, b) in ...`)."""
    if type(target) is cst.Name:
        return {target.value}
    if type(target) in (cst.Tuple, cst.List):
        return set().union(*(target_names(e.value) for e in target.elements))
    return set()
