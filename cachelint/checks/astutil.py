"""Syntax helpers shared by the structural rules (CL4xx, CL5xx).

The dataflow pass answers "does a volatile value reach the prefix"; the structural rules ask
about the *shape* of a request and of the loop around it: which literal blocks carry a
breakpoint, what a name was last assigned, which loop or method is the conversation turn.
`ModuleIndex` answers those questions from the libcst tree, once per module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

import libcst as cst

from cachelint.engine.nodes import INITIALIZERS, LOOPS, SCOPES, children, string_value, walk, walk_scope

from cachelint.engine.dataflow import ModuleAnalysis
from cachelint.engine.resolve import dotted_name, qualify
from cachelint.knowledge import Sink
from cachelint.syntax import quiet_warnings

UNKNOWN = object()  # the literal evaluator's "cannot tell"
MUTATORS = frozenset({"append", "extend", "insert", "update", "pop", "remove", "setdefault", "clear", "appendleft", "extendleft", "popleft"})
GROWERS = frozenset({"append", "extend", "insert", "appendleft", "extendleft"})


@dataclass
class Request:
    """One sink call with its keyword arguments (a `**{...}` literal spread is opened up)."""

    call: cst.Call
    sink: Sink
    args: dict[str, cst.BaseExpression]
    keywords: dict[str, cst.Arg]
    opaque: bool  # a `**params` that could not be opened: more arguments may exist

    @property
    def provider(self) -> str:
        return self.sink.provider

    def arg(self, name: str) -> cst.BaseExpression | None:
        return self.args.get(name)


@dataclass
class Scope:
    """The statements of a function (or the module) and what is assigned in them."""

    node: cst.CSTNode
    assigns: dict[str, list[tuple[cst.CSTNode, cst.BaseExpression | None]]] = field(default_factory=dict)
    params: set[str] = field(default_factory=set)
    mutated: set[str] = field(default_factory=set)  # changed in place after assignment: not a literal any more
    # Changed in place otherwise than by adding items (`pop`, `del x[i]`, `x[i] = ...`).
    shrunk: set[str] = field(default_factory=set)


class ModuleIndex:
    """Parents, scopes, assignments and request calls of one parsed module."""

    def __init__(self, module: cst.Module, analysis: ModuleAnalysis) -> None:
        self.module = module
        self.analysis = analysis
        self.parents: dict[int, cst.CSTNode] = {}
        self.calls: list[cst.Call] = []
        self.dicts: list[cst.Dict] = []
        self.assigns: list[cst.Assign] = []
        self.fors: list[cst.For] = []
        self._scopes: dict[int, Scope] = {}
        self._inline_lambdas: set[int] = set()  # `lambda: F(...)` handed to a forwarder: runs where it is written
        self._aliases: dict[tuple[int, str], str | None] = {}  # (scope, local name) -> the dict entry it holds
        self._walk(module)
        self.requests = [r for r in (self._request(c) for c in self.calls) if r is not None]

    # ------------------------------------------------------------------ tree
    def _walk(self, root: cst.CSTNode) -> None:
        # One dict lookup per node (these node classes have no subclasses), not a chain of isinstance calls.
        buckets: dict[type, list] = {cst.Call: self.calls, cst.Dict: self.dicts, cst.Assign: self.assigns, cst.For: self.fors}
        stack = [root]
        while stack:
            node = stack.pop()
            bucket = buckets.get(type(node))
            if bucket is not None:
                bucket.append(node)
            for child in children(node):
                self.parents[id(child)] = node
                stack.append(child)
        for call in list(self.calls):
            current: cst.Call = call
            while (forwarded := self.analysis.forwarded(current)) is not None:
                if id(forwarded) in self.parents:  # the body of `lambda: F(...)`, in the tree already
                    self._inline_lambdas.add(id(self.parents[id(forwarded)]))
                    break
                # The call a forwarder makes (`asyncio.to_thread(F, ...)` as `F(...)`, also nested in
                # `to_thread(partial(F, ...))`): where the forwarder call is.
                self.parents[id(forwarded)] = self.parents[id(call)]
                self.calls.append(forwarded)
                current = forwarded
        self.calls.sort(key=self.line)
        self.dicts.sort(key=self.line)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(id(node))

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self.parent(node)
        while current is not None:
            yield current
            current = self.parent(current)

    def line(self, node: cst.CSTNode) -> int:
        return self.analysis.span(node)[0]

    def span(self, node: cst.CSTNode) -> tuple[int, int, int, int]:
        return self.analysis.span(node)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node).strip()

    def short(self, node: cst.CSTNode, limit: int = 50) -> str:
        text = " ".join(self.code(node).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def function_of(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        for a in self.ancestors(node):
            if type(a) is cst.FunctionDef:
                return a
            if type(a) is cst.ClassDef or (type(a) is cst.Lambda and id(a) not in self._inline_lambdas):
                return None
        return None

    def class_of(self, node: cst.CSTNode) -> cst.ClassDef | None:
        for a in self.ancestors(node):
            if type(a) is cst.ClassDef:
                return a
        return None

    def loops_around(self, node: cst.CSTNode) -> list[cst.For | cst.While]:
        """Enclosing loops inside the same function, innermost first."""
        out: list[cst.For | cst.While] = []
        for a in self.ancestors(node):
            if type(a) in SCOPES and id(a) not in self._inline_lambdas:
                break
            if type(a) in LOOPS and not self._in_header(node, a):
                out.append(a)
        return out

    def _in_header(self, node: cst.CSTNode, loop: cst.For | cst.While) -> bool:
        start = self.line(loop.body)
        return self.line(node) < start and self.line(node) == self.line(loop)

    def statement_of(self, node: cst.CSTNode) -> cst.CSTNode:
        """The innermost statement containing `node` (a simple statement line or a compound header)."""
        current: cst.CSTNode = node
        for a in self.ancestors(node):
            if isinstance(a, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return a
            current = a
        return current

    def conditions_between(self, node: cst.CSTNode, stop: cst.CSTNode) -> list[cst.BaseExpression]:
        """Tests of the `if`/`while` statements between `node` and the enclosing `stop` node."""
        out: list[cst.BaseExpression] = []
        for a in self.ancestors(node):
            if a is stop:
                break
            if type(a) in (cst.If, cst.While):
                out.append(a.test)
            if type(a) is cst.IfExp:
                out.append(a.test)
        return out

    def inside(self, node: cst.CSTNode, outer: cst.CSTNode) -> bool:
        return any(a is outer for a in self.ancestors(node))

    # ------------------------------------------------------------------ scopes and names
    def scope(self, node: cst.CSTNode) -> Scope:
        """The function scope holding `node` (the module scope outside functions)."""
        owner: cst.CSTNode = self.function_of(node) or self.module
        key = id(owner)
        if key not in self._scopes:
            self._scopes[key] = self._build_scope(owner)
        return self._scopes[key]

    def module_scope(self) -> Scope:
        key = id(self.module)
        if key not in self._scopes:
            self._scopes[key] = self._build_scope(self.module)
        return self._scopes[key]

    def _build_scope(self, owner: cst.CSTNode) -> Scope:
        scope = Scope(owner)
        if type(owner) is cst.FunctionDef:
            p = owner.params
            scope.params = {x.name.value for x in (*p.posonly_params, *p.params, *p.kwonly_params)}
            for star in (p.star_arg, p.star_kwarg):
                if type(star) is cst.Param:
                    scope.params.add(star.name.value)
        body = owner.body if type(owner) is cst.FunctionDef else owner
        for node in walk_scope(body):
            for target, value in assigned(node):
                name = target_key(target)
                if name is not None:
                    scope.assigns.setdefault(name, []).append((node, value))
                elif type(target) is cst.Subscript:
                    scope.mutated.add(name_key(_base(target)) or "")
                    scope.shrunk.add(name_key(_base(target)) or "")
            if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in MUTATORS:
                scope.mutated.add(name_key(node.func.value) or "")
                if node.func.attr.value not in GROWERS:
                    scope.shrunk.add(name_key(node.func.value) or "")
            elif type(node) is cst.Del:
                scope.mutated.add(name_key(_base(node.target)) or "")
                scope.shrunk.add(name_key(_base(node.target)) or "")
        return scope

    def history_key(self, node: cst.BaseExpression | None) -> str | None:
        """`name_key`, or for one entry of a dict that the module or object keeps
        (`histories[user_id]`, `histories.setdefault(user_id, [])`, `histories.get(user_id, [])`):
        that entry, written as code. Bots and servers keep one history per user or chat this way."""
        key = name_key(node)
        if type(node) is cst.Name:
            return self._entry_alias(node) or key
        if key is not None or node is None:
            return key
        if type(node) is cst.Subscript and len(node.slice) == 1 and type(node.slice[0].slice) is cst.Index:
            owner, entry = node.value, node.slice[0].slice.value
        elif type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in ("setdefault", "get") and node.args and node.args[0].keyword is None:
            owner, entry = node.func.value, node.args[0].value
        else:
            return None
        name = name_key(owner)
        if name is None or not _plain_entry(entry) or name not in self.dict_owners:
            return None
        return f"{name}[{self.code(entry)}]"

    def _entry_alias(self, node: cst.Name) -> str | None:
        """The dict entry a local name holds (`hist = histories.setdefault(uid, [])`), when every value
        the function gives it is that entry, a new empty list, or made from itself (`hist = hist[-9:]`):
        then `hist` and `histories[uid]` are one history."""
        if node.value not in self._entry_holders:
            return None
        scope = self.scope(node)
        cache_key = (id(scope.node), node.value)
        if cache_key in self._aliases:
            return self._aliases[cache_key]
        self._aliases[cache_key] = None  # while computing: a name made from itself is not an entry
        found: set[str] = set()
        if scope.node is not self.module and node.value not in scope.params:
            for _, value in scope.assigns.get(node.value, []):
                if value is None:
                    found = set()
                    break
                if (type(value) is cst.List and not value.elements) or node.value in names_in(value):
                    continue
                entry = self.history_key(value) if type(value) in (cst.Subscript, cst.Call) else None
                if entry is None or "[" not in entry:
                    found = set()
                    break
                found.add(entry)
        alias = found.pop() if len(found) == 1 else None
        self._aliases[cache_key] = alias
        return alias

    @cached_property
    def _entry_holders(self) -> frozenset[str]:
        """Names the module ever assigns an entry of a kept dict (`hist = histories[uid]`): the only
        ones `_entry_alias` needs to look at."""
        if not self.dict_owners:
            return frozenset()
        names: set[str] = set()
        for node in self.assigns:
            if type(node.value) in (cst.Subscript, cst.Call) and (self.history_key(node.value) or "").find("[") > 0:
                names.update(t.target.value for t in node.targets if type(t.target) is cst.Name)
        return frozenset(names)

    @cached_property
    def classes(self) -> dict[str, cst.ClassDef]:
        """The module's classes by name (nested ones too)."""
        return {c.name.value: c for c in walk(self.module) if type(c) is cst.ClassDef}

    def instance_class(self, expr: cst.BaseExpression) -> cst.ClassDef | None:
        """The module class whose object `expr` is: made by calling the class (`memory = Memory()`,
        `self.memory = Memory()` in `__init__`), or a parameter annotated with it (`history: History`)."""
        classes = self.classes
        if not classes:
            return None
        value = self.resolve(expr)
        if type(value) is cst.Call and type(value.func) is cst.Name and value.func.value in classes:
            return classes[value.func.value]
        if type(expr) is cst.Name:
            function = self.function_of(expr)
            params = function.params.params if function is not None else ()
            for param in params:
                annotation = param.annotation.annotation if param.annotation is not None else None
                if param.name.value == expr.value and type(annotation) is cst.Name and annotation.value in classes:
                    return classes[annotation.value]
        return None

    @cached_property
    def dict_owners(self) -> frozenset[str]:
        """Module-level names and `self` attributes assigned a dict (`{}`, `dict()`, `defaultdict(...)`)."""
        owners: set[str] = set()
        for node in walk(self.module):
            for target, value in assigned(node):
                key = target_key(target)
                if key is None or not _makes_dict(value):
                    continue
                if key.startswith("self."):
                    owners.add(key)
                elif self.function_of(node) is None:
                    owners.add(key if self.class_of(node) is None else f"self.{key}")
        return frozenset(owners)

    def definition(self, name: str, at: cst.CSTNode) -> cst.BaseExpression | None:
        """The value last assigned to `name` before `at` in its function, else at module level."""
        scope = self.scope(at)
        if name in scope.mutated:
            return None
        found = self._last_before(scope, name, self.line(at))
        if found is None and scope.node is not self.module and name not in scope.params:
            if name in self.module_scope().mutated:
                return None
            found = self._last_before(self.module_scope(), name, 10**9)
        return found[1] if found is not None else None

    def grown_from(self, expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
        """For a local name whose list only ever gains items after it is assigned (`append`,
        `extend`, `insert`): the value it was assigned, all of which it still holds."""
        if type(expr) is not cst.Name:
            return None
        scope = self.scope(expr)
        if expr.value not in scope.mutated or expr.value in scope.shrunk:
            return None
        found = self._last_before(scope, expr.value, self.line(expr))
        return found[1] if found is not None else None

    def _last_before(self, scope: Scope, name: str, line: int) -> tuple[int, cst.BaseExpression | None] | None:
        """(line, value) of the last binding of `name` at or before `line`; value None if not a plain assignment."""
        best: tuple[int, cst.BaseExpression | None] | None = None
        for node, value in scope.assigns.get(name, []):
            n = self.line(node)
            if n < line and (best is None or n >= best[0]):
                best = (n, value)
        return best

    def self_attribute(self, cls: cst.ClassDef | None, attr: str) -> cst.BaseExpression | None:
        """The value given to `self.attr` in `__init__` (or at class level)."""
        if cls is None or self._class_mutates(cls, attr):
            return None
        for stmt in block(cls.body):
            if type(stmt) is cst.FunctionDef and stmt.name.value in INITIALIZERS:
                values = [v for node in walk_scope(stmt.body) for t, v in assigned(node) if target_key(t) == f"self.{attr}"]
                if values:
                    return values[-1]
            if type(stmt) is cst.SimpleStatementLine:
                for small in stmt.body:
                    for t, v in assigned(small):
                        if target_key(t) == attr:
                            return v
        return None

    def _class_mutates(self, cls: cst.ClassDef, attr: str) -> bool:
        """`self.attr` is changed after `__init__` (appended to, re-assigned, or written into)."""
        key = f"self.{attr}"
        for method in block(cls.body):
            if type(method) is not cst.FunctionDef:
                continue
            scope = self.scope(method.body)
            if key in scope.mutated or (method.name.value not in INITIALIZERS and key in scope.assigns):
                return True
        return False

    def resolve(self, expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
        """Follow a name (or `self.attr`) to the expression last assigned to it."""
        seen = 0
        while expr is not None and seen < 6:
            seen += 1
            if type(expr) is cst.Name:
                value = self.definition(expr.value, expr)
            elif is_self_attr(expr):
                value = self.self_attribute(self.class_of(expr), expr.attr.value)
            else:
                return expr
            if value is None:
                return expr
            expr = value
        return expr

    def qualname(self, node: cst.BaseExpression) -> str | None:
        dotted = dotted_name(node)
        return qualify(dotted, self.analysis.aliases) if dotted else None

    def is_volatile_call(self, call: cst.Call) -> bool:
        """A clock or random-id source call (`datetime.now()`, `uuid4()`, `time.time()`)."""
        name = self.qualname(call.func)
        source = self.analysis.k.source_for(name) if name else None
        if source is not None and source.rule in ("CL101", "CL102"):
            return source.volatile_with(len(call.args))
        if type(call.func) is cst.Attribute:
            method = self.analysis.k.method_source_for(call.func.attr.value)
            return method is not None and method.rule in ("CL101", "CL102")
        return False

    # ------------------------------------------------------------------ literals
    def evaluate(self, expr: cst.BaseExpression | None, depth: int = 0) -> object:
        """The Python value of a literal expression (following names to constants), or UNKNOWN."""
        if expr is None or depth > 12:
            return UNKNOWN
        if type(expr) in (cst.Name, cst.Attribute) and not (type(expr) is cst.Name and expr.value in ("True", "False", "None")):
            target = self.resolve(expr)
            if target is expr or target is None:
                return UNKNOWN
            return self.evaluate(target, depth + 1)
        if type(expr) is cst.Name:
            return {"True": True, "False": False, "None": None}[expr.value]
        if type(expr) in (cst.SimpleString, cst.ConcatenatedString):
            if type(expr) is cst.SimpleString:
                value = string_value(expr)
            else:
                with quiet_warnings():
                    value = expr.evaluated_value
            return value if isinstance(value, str) else UNKNOWN
        if type(expr) is cst.FormattedString:
            parts = []
            for part in expr.parts:
                if type(part) is not cst.FormattedStringText:
                    return UNKNOWN
                parts.append(part.value)
            return "".join(parts)
        if type(expr) in (cst.Integer, cst.Float):
            return expr.evaluated_value
        if type(expr) in (cst.List, cst.Tuple):
            out = []
            for element in expr.elements:
                value = self.evaluate(element.value, depth + 1)
                if value is UNKNOWN:
                    return UNKNOWN
                if type(element) is cst.StarredElement:
                    if not isinstance(value, list):
                        return UNKNOWN
                    out.extend(value)
                else:
                    out.append(value)
            return out
        if type(expr) is cst.Dict:
            result: dict[object, object] = {}
            for element in expr.elements:
                if type(element) is not cst.DictElement:
                    return UNKNOWN
                key = self.evaluate(element.key, depth + 1)
                value = self.evaluate(element.value, depth + 1)
                if key is UNKNOWN or value is UNKNOWN or isinstance(key, (list, dict)):
                    return UNKNOWN
                result[key] = value
            return result
        if type(expr) is cst.BinaryOperation:
            left = self.evaluate(expr.left, depth + 1)
            right = self.evaluate(expr.right, depth + 1)
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            try:
                if type(expr.operator) is cst.Add:
                    return left + right  # type: ignore[operator]
                if type(expr.operator) is cst.Multiply:
                    return left * right  # type: ignore[operator]
                numbers = isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool) and not isinstance(right, bool)
                if numbers and type(expr.operator) is cst.Subtract:
                    return left - right  # type: ignore[operator]
                if numbers and type(expr.operator) is cst.FloorDivide and right:
                    return left // right  # type: ignore[operator]
            except TypeError:
                return UNKNOWN
            return UNKNOWN
        if type(expr) is cst.UnaryOperation and type(expr.operator) is cst.Minus:
            value = self.evaluate(expr.expression, depth + 1)
            return -value if isinstance(value, int) and not isinstance(value, bool) else UNKNOWN
        if type(expr) is cst.Call:
            return self._evaluate_call(expr, depth)
        return UNKNOWN

    def _evaluate_call(self, call: cst.Call, depth: int) -> object:
        name = self.qualname(call.func) or ""
        args = [a for a in call.args if a.keyword is None and not a.star]
        if name in ("textwrap.dedent", "inspect.cleandoc", "str") and len(args) == 1:
            return self.evaluate(args[0].value, depth + 1)
        if name in ("json.dumps",) and args:
            value = self.evaluate(args[0].value, depth + 1)
            return UNKNOWN if value is UNKNOWN else json.dumps(value)
        if type(call.func) is cst.Attribute:
            method = call.func.attr.value
            receiver = self.evaluate(call.func.value, depth + 1)
            if method in ("strip", "lstrip", "rstrip") and isinstance(receiver, str) and not args:
                return getattr(receiver, method)()
            if method == "join" and isinstance(receiver, str) and len(args) == 1:
                items = self.evaluate(args[0].value, depth + 1)
                if isinstance(items, list) and all(isinstance(i, str) for i in items):
                    return receiver.join(items)
        return UNKNOWN

    def is_constant(self, expr: cst.BaseExpression | None) -> bool:
        return self.evaluate(expr) is not UNKNOWN

    # ------------------------------------------------------------------ requests
    def _request(self, call: cst.Call) -> Request | None:
        sink = self.analysis.match_sink(call, self.qualname(call.func))
        if sink is None or sink.provider not in ("anthropic", "bedrock", "openai"):
            return None
        args: dict[str, cst.BaseExpression] = {}
        keywords: dict[str, cst.Arg] = {}
        opaque = False
        for arg in call.args:
            if arg.keyword is not None:
                args[arg.keyword.value] = arg.value
                keywords[arg.keyword.value] = arg
            elif arg.star == "**":
                spread = self.resolve(arg.value)
                if type(spread) is cst.Dict:
                    for element in spread.elements:
                        if type(element) is cst.DictElement and type(element.key) is cst.SimpleString:
                            key = string_value(element.key)
                            if isinstance(key, str):
                                args[key] = element.value
                        else:
                            opaque = True
                else:
                    opaque = True
        if "body" in args and sink.id == "bedrock invoke_model":
            body = self.resolve(args["body"])
            if type(body) is cst.Call and self.qualname(body.func) == "json.dumps" and body.args:
                body = self.resolve(body.args[0].value)
            if type(body) is cst.Dict:
                for element in body.elements:
                    if type(element) is cst.DictElement and type(element.key) is cst.SimpleString:
                        key = string_value(element.key)
                        if isinstance(key, str):
                            args.setdefault(key, element.value)
        return Request(call, sink, args, keywords, opaque)

    def wrapped_requests(self) -> list[Request]:
        """Requests made through the module's own wrapper functions (`def send(items, tools):
        return client.responses.create(input=items, tools=tools)`): at each call of the wrapper,
        the request with the wrapper's parameters replaced by what that call passes."""
        out: list[Request] = []
        for request in self.requests:
            function = self.function_of(request.call)
            if function is None:
                continue
            params = [p.name.value for p in (*function.params.posonly_params, *function.params.params, *function.params.kwonly_params)]
            passed = {name: expr.value for name, expr in request.args.items() if type(expr) is cst.Name and expr.value in params}
            if not passed:
                continue
            method = bool(params) and params[0] in ("self", "cls")
            for call in self.calls:
                if call is request.call or self.inside(call, function) or not _calls_function(call, function.name.value, method):
                    continue
                given = arguments_of(call, params[1:] if method else params)
                args = {k: v for k, v in request.args.items() if k not in passed}
                keywords = {k: v for k, v in request.keywords.items() if k not in passed}
                for name, param in passed.items():
                    if param in given:
                        args[name] = given[param].value
                        keywords[name] = given[param]
                out.append(Request(call, request.sink, args, keywords, request.opaque))
        return out

    def model_name(self, request: Request) -> str | None:
        """The literal model id of a request (`model=` or Bedrock `modelId=`), if it is a constant."""
        for key in ("model", "modelId", "model_id"):
            value = self.evaluate(request.arg(key))
            if isinstance(value, str):
                return value
        return None

    def option(self, request: Request, name: str) -> tuple[cst.CSTNode, cst.BaseExpression] | None:
        """A request parameter and where it is written: a keyword (or `**` entry), else an `extra_body` entry."""
        if name in request.keywords:
            return request.keywords[name], request.keywords[name].value
        if name in request.args:
            return request.args[name], request.args[name]
        element = dict_element(self.resolve(request.arg("extra_body")), name)
        return (element, element.value) if element is not None else None

    def literal_dicts(self, expr: cst.BaseExpression | None, depth: int = 0) -> Iterator[cst.Dict]:
        """Every dict literal reachable from `expr` through names, list elements and dict values."""
        target = self.resolve(expr)
        if target is None or depth > 8:
            return
        if type(target) in (cst.List, cst.Tuple):
            for element in target.elements:
                yield from self.literal_dicts(element.value, depth + 1)
        elif type(target) is cst.Dict:
            yield target
            for element in target.elements:
                if type(element) is cst.DictElement:
                    yield from self.literal_dicts(element.value, depth + 1)

    def tools_expr(self, request: Request) -> cst.BaseExpression | None:
        if request.provider == "bedrock" and "toolConfig" in request.args:
            config = self.resolve(request.args["toolConfig"])
            return dict_value(config, "tools") if type(config) is cst.Dict else None
        return request.arg("tools")

    def elements(self, expr: cst.BaseExpression | None) -> tuple[list[cst.BaseExpression], bool] | None:
        """The elements of a list literal (after following names) and whether it is complete; of
        `history + [...]`, the elements of the parts that are literals."""
        target = self.resolve(expr)
        if type(target) is cst.BinaryOperation and type(target.operator) is cst.Add:
            parts = [self.elements(target.left), self.elements(target.right)]
            if parts == [None, None]:
                return None
            return [e for part in parts if part is not None for e in part[0]], all(part is not None and part[1] for part in parts)
        if type(target) not in (cst.List, cst.Tuple):
            return None
        out: list[cst.BaseExpression] = []
        complete = True
        for element in target.elements:
            if type(element) is cst.StarredElement:
                inner = self.elements(element.value)
                if inner is None:
                    complete = False
                    continue
                out.extend(inner[0])
                complete = complete and inner[1]
            else:
                out.append(element.value)
        return out, complete


# ---------------------------------------------------------------------- plain tree helpers
def returned(module: cst.Module, call: cst.Call) -> list[cst.BaseExpression]:
    """What a module-level function of `module` called by name (`new_id()`) returns, each `return`'s value."""
    if type(call.func) is not cst.Name:
        return []
    function = next((f for f in block(module) if type(f) is cst.FunctionDef and f.name.value == call.func.value), None)
    return return_values(function) if function is not None else []


def return_values(function: cst.FunctionDef) -> list[cst.BaseExpression]:
    """The value of each `return` of `function` (not of functions nested in it)."""
    return [node.value for node in walk_scope(function.body) if type(node) is cst.Return and node.value is not None]


def targets_of(node: cst.Assign | cst.AnnAssign | cst.AugAssign) -> list[cst.BaseExpression]:
    """What an assignment statement assigns to."""
    return [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]


def entry_owner(key: str) -> str | None:
    """`histories` for the dict-entry history key `histories[uid]` (`ModuleIndex.history_key`); None for a name."""
    return key[: key.index("[")] if "[" in key else None


def entry_index(key: str) -> str | None:
    """`uid` for the dict-entry history key `histories[uid]`; None for a name."""
    return key[key.index("[") + 1 : -1] if "[" in key else None


def _calls_function(call: cst.Call, name: str, method: bool) -> bool:
    """`name(...)`, or `self.name(...)` for a method."""
    if method:
        return type(call.func) is cst.Attribute and call.func.attr.value == name and type(call.func.value) is cst.Name and call.func.value.value in ("self", "cls")
    return type(call.func) is cst.Name and call.func.value == name


def arguments_of(call: cst.Call, params: list[str]) -> dict[str, cst.Arg]:
    """The argument a call passes for each parameter, by keyword or position."""
    out: dict[str, cst.Arg] = {}
    position = 0
    for arg in call.args:
        if arg.star:
            break
        if arg.keyword is not None:
            out[arg.keyword.value] = arg
        elif position < len(params):
            out[params[position]] = arg
            position += 1
    return out


def _base(node: cst.BaseExpression) -> cst.BaseExpression:
    while type(node) in (cst.Subscript, cst.Attribute) and name_key(node) is None:
        node = node.value
    return node


def block(body: cst.BaseSuite | cst.Module) -> list[cst.CSTNode]:
    if type(body) is cst.Module:
        return list(body.body)
    if type(body) is cst.IndentedBlock:
        return list(body.body)
    if type(body) is cst.SimpleStatementSuite:
        return list(body.body)
    return []


_BINDING_TYPES = frozenset({cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr, cst.WithItem})


def _plain_entry(entry: cst.BaseExpression) -> bool:
    """A dict key that names one entry the same way each time: a name (`user_id`), an attribute
    chain (`message.chat.id`), a literal, or `str()`/`int()` of one."""
    if type(entry) in (cst.Name, cst.SimpleString, cst.Integer):
        return True
    if type(entry) is cst.Attribute:
        return _plain_entry(entry.value) and type(entry.value) not in (cst.SimpleString, cst.Integer)
    if type(entry) is cst.Call and type(entry.func) is cst.Name and entry.func.value in ("str", "int") and len(entry.args) == 1:
        return _plain_entry(entry.args[0].value)
    if type(entry) is cst.Subscript and len(entry.slice) == 1 and type(entry.slice[0].slice) is cst.Index:
        return type(entry.slice[0].slice.value) in (cst.SimpleString, cst.Integer) and _plain_entry(entry.value)  # `event["user"]`
    return False


def _makes_dict(value: cst.BaseExpression | None) -> bool:
    if type(value) in (cst.Dict, cst.DictComp):
        return True
    return type(value) is cst.Call and last_name(value.func) in ("dict", "defaultdict", "OrderedDict")


def last_name(func: cst.BaseExpression) -> str | None:
    """`deque` for `deque` and `collections.deque`."""
    return func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else None


def assigned(node: cst.CSTNode) -> list[tuple[cst.BaseExpression, cst.BaseExpression | None]]:
    """(target, value) pairs a statement binds; value None when it is not a plain assignment."""
    # Called on every node of a scope: one set lookup rejects the nodes that bind nothing.
    if type(node) not in _BINDING_TYPES:
        return []
    if type(node) is cst.Assign:
        pairs: list[tuple[cst.BaseExpression, cst.BaseExpression | None]] = []
        for t in node.targets:
            # `HIGH, LOW = 100, 30`: each name its own value.
            if type(t.target) is cst.Tuple and type(node.value) is cst.Tuple and len(t.target.elements) == len(node.value.elements):
                pairs += [(a.value, b.value) for a, b in zip(t.target.elements, node.value.elements)]
            else:
                pairs.append((t.target, node.value))
        return pairs
    if type(node) is cst.AnnAssign and node.value is not None:
        return [(node.target, node.value)]
    if type(node) is cst.AugAssign:
        return [(node.target, None)]
    if type(node) is cst.For:
        return [(n, None) for n in target_names(node.target)]
    if type(node) is cst.NamedExpr:
        return [(node.target, node.value)]
    if type(node) is cst.WithItem and node.asname is not None and type(node.asname.name) is cst.Name:
        return [(node.asname.name, None)]
    return []


def target_names(target: cst.BaseExpression) -> list[cst.Name]:
    if type(target) is cst.Name:
        return [target]
    if type(target) in (cst.Tuple, cst.List):
        return [n for e in target.elements for n in target_names(e.value)]
    return []


def target_key(target: cst.BaseExpression) -> str | None:
    """`name` or `self.attr` for an assignment target, else None."""
    if type(target) is cst.Name:
        return target.value
    if is_self_attr(target):
        return f"self.{target.attr.value}"
    return None


def is_self_attr(node: cst.CSTNode) -> bool:
    return type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == "self"


def name_key(node: cst.BaseExpression | None) -> str | None:
    """`messages` or `self.messages` for a plain name or self attribute."""
    if type(node) is cst.Name:
        return node.value
    if node is not None and is_self_attr(node):
        return f"self.{node.attr.value}"
    return None


def dict_value(node: cst.CSTNode | None, key: str) -> cst.BaseExpression | None:
    if type(node) is not cst.Dict:
        return None
    found = None
    for element in node.elements:
        if type(element) is cst.DictElement and type(element.key) is cst.SimpleString and string_value(element.key) == key:
            found = element.value
    return found


def dict_element(node: cst.CSTNode | None, key: str) -> cst.DictElement | None:
    if type(node) is not cst.Dict:
        return None
    for element in node.elements:
        if type(element) is cst.DictElement and type(element.key) is cst.SimpleString and string_value(element.key) == key:
            return element
    return None


def dict_keys(node: cst.Dict) -> set[str]:
    keys = set()
    for element in node.elements:
        if type(element) is cst.DictElement and type(element.key) is cst.SimpleString:
            value = string_value(element.key)
            if isinstance(value, str):
                keys.add(value)
    return keys


def names_in(node: cst.CSTNode) -> set[str]:
    """Plain names and `self.attr` keys read anywhere in an expression (not in nested lambdas)."""
    found: set[str] = set()
    for n in walk_scope(node):
        if type(n) is cst.Name:
            found.add(n.value)
        elif is_self_attr(n):
            found.add(f"self.{n.attr.value}")
    return found


def int_value(node: cst.BaseExpression | None) -> int | None:
    if type(node) is cst.Integer:
        return int(node.value, 0)
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus and type(node.expression) is cst.Integer:
        return -int(node.expression.value, 0)
    return None


def estimate_tokens(text: str, structured: bool = False) -> int:
    """A rough token count: chars/4 for prose, chars/3 for JSON or code, 1 per CJK character."""
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    rest = len(text) - cjk
    return cjk + rest // (3 if structured else 4)
