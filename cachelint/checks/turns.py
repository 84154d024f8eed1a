"""Find the conversation turn around a request: the loop or per-turn method that grows and re-sends a history.

A request belongs to a conversation when the list it sends as `messages` (or `input`) is grown
(`append`, `extend`, `+=`) by the code that runs once per turn: the innermost loop around the
call, or a method that sends `self.history` which the object grows. A history re-rendered from a
growing record list (`runs`, `turns`) counts too. Everything CL5xx reports happens inside a turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from cachelint.checks.astutil import (
    GROWERS,
    ModuleIndex,
    Request,
    arguments_of,
    block,
    entry_index,
    entry_owner,
    is_self_attr,
    last_name,
    name_key,
    names_in,
    return_values,
    target_key,
    targets_of,
    walk_scope,
)
from cachelint.engine.nodes import INITIALIZERS, LOOPS



@dataclass
class Turn:
    """One conversation turn: `scope` runs once per turn and re-sends the history `history`."""

    request: Request
    history: str
    scope: cst.CSTNode
    sent: set[str] = field(default_factory=set)
    rerendered: bool = False  # the sent list is rebuilt each turn from the growing `history`

    @property
    def body(self) -> cst.CSTNode:
        return self.scope.body if type(self.scope) in (cst.For, cst.While, cst.FunctionDef) else self.scope


def sent_history(index: ModuleIndex, request: Request) -> tuple[str | None, set[str]]:
    """The container a request's messages come from, and the names the list passes through.

    `messages=window` after `window = history[-20:]` gives (`history`, {`window`}).
    """
    expr = request.arg("messages") or request.arg("input")
    sent: set[str] = set()
    helped = through_helper(index, expr) if type(expr) is cst.Call else None
    if helped is not None:
        expr = helped[0]  # `input=recent(history)`: the history itself, windowed by the helper
    key = container_key(index, expr) if expr is not None else None
    for _ in range(3):
        if key is None or not (type(expr) is cst.Name or is_self_attr(expr)):
            return key, sent
        sent.add(key)
        value = index.resolve(expr)
        inner = container_key(index, value) if value is not None and value is not expr else None
        if inner is None or inner == key or (type(value) is cst.Call and not _is_copy(value)):
            return key, sent
        expr, key = value, inner
    return key, sent


def through_helper(index: ModuleIndex, call: cst.Call) -> tuple[cst.BaseExpression, cst.Subscript] | None:
    """For `recent(history)` where the module defines `def recent(h): return h[-16:]`: the argument
    given for the parameter the helper returns a slice of, and that slice. The helper may be nested
    in the calling function or a method (`self._window(self.history)`); for a helper given a key
    (`window(cid)` returning `chats[cid][-8:]`), the entry of the caller's key (`chats[cid]`)."""
    found = _helper_of(index, call)
    if found is None:
        return None
    function, params, nested = found
    given = arguments_of(call, params)
    aliases = _slice_aliases(index, function, params)
    for node in walk_scope(function.body):
        if type(node) is not cst.Return or node.value is None:
            continue
        # `return h[-16:]`, or the slice among other parts (`return [SYSTEM, *h[-16:]]`), or a
        # slice of a local that holds a slice of the parameter (`rest = h[2:]` ... `rest[-16:]`).
        for part in walk_scope(node.value):
            if type(part) is cst.Subscript and any(type(e.slice) is cst.Slice for e in part.slice):
                container = part.value
                if type(container) is cst.Name and container.value in aliases:
                    container = aliases[container.value]
                sliced = _as_called(container, given, nested)
                if sliced is not None:
                    return sliced, part
    return None


def _slice_aliases(index: ModuleIndex, function: cst.FunctionDef, params: list[str]) -> dict[str, cst.Name]:
    """Locals of `function` bound once, to a parameter or a slice of its tail (`rest = h[2:]`, or
    `head, rest = h[:2], h[2:]`): the parameter each stands for. A slice with an end (`h[:2]`)
    does not follow the history as it grows, so it stands for nothing."""
    out: dict[str, cst.Name] = {}
    for name, bindings in index.scope(function.body).assigns.items():
        value = bindings[0][1] if len(bindings) == 1 else None
        while type(value) is cst.Subscript and len(value.slice) == 1 and _tail_slice(value.slice[0].slice):
            value = value.value
        if type(value) is cst.Name and value.value in params and name not in params:
            out[name] = value
    return out


def _tail_slice(bounds: cst.BaseSlice) -> bool:
    """`[k:]`, `[-k:]` or `[:]`: a slice that keeps the end of the list."""
    return type(bounds) is cst.Slice and bounds.upper is None and bounds.step is None


def helper_entries(index: ModuleIndex, call: cst.Call) -> list[tuple[cst.FunctionDef, str, str]]:
    """For a call of a helper given a conversation's key (`update_history(chat_id, ...)` whose body
    uses `chat_histories[chat_id]`): (the helper, the entry as the helper spells it, the entry as the
    caller spells it), for each kept-dict entry the helper reaches through a parameter."""
    if type(call.func) not in (cst.Name, cst.Attribute) or not index.dict_owners:
        return []
    found = _helper_of(index, call)
    if found is None:
        return []
    function, params, _ = found
    given = arguments_of(call, params)
    out: dict[str, tuple[cst.FunctionDef, str, str]] = {}
    for node in walk_scope(function.body):
        if type(node) not in (cst.Subscript, cst.Call):
            continue
        inner = index.history_key(node)
        if inner is None or "[" not in inner or inner in out:
            continue
        called = _as_called(node, given, nested=False)
        outer = index.history_key(called) if called is not None else None
        if outer is not None and "[" in outer:
            out[inner] = (function, inner, outer)
    return list(out.values())


def _as_called(container: cst.BaseExpression, given: dict[str, cst.Arg], nested: bool) -> cst.BaseExpression | None:
    """What a helper's `container` is at the call: the argument given for a parameter (`h`), an
    entry with the caller's key (`chats[cid]`, `chats.get(cid, [])`), or, in a helper nested in the
    caller, the caller's own names."""
    if type(container) is cst.Name:
        return given[container.value].value if container.value in given else container if nested else None
    if is_self_attr(container):
        return container  # `self.history` in a method called on the same object
    if type(container) is cst.Subscript and len(container.slice) == 1 and type(container.slice[0].slice) is cst.Index:
        key = container.slice[0].slice.value
        if type(key) is cst.Name and key.value in given:
            return container.with_changes(slice=[cst.SubscriptElement(cst.Index(given[key.value].value))])
        return container if nested else None
    if type(container) is cst.Call and type(container.func) is cst.Attribute and container.func.attr.value in ("get", "setdefault") and container.args:
        key = container.args[0].value
        if type(key) is cst.Name and key.value in given:
            return container.with_changes(args=[container.args[0].with_changes(value=given[key.value].value), *container.args[1:]])
        return container if nested else None
    return None


def _helper_of(index: ModuleIndex, call: cst.Call) -> tuple[cst.FunctionDef, list[str], bool] | None:
    """The function of this module a call runs (a module function, one nested in the caller, or a
    method called on `self`), its parameters as the call fills them, and whether it is nested in
    the caller (then it sees the caller's names)."""
    func = call.func
    if type(func) is cst.Name:
        caller = index.function_of(call)
        scopes = [(block(index.module), False), *([(block(caller.body), True)] if caller is not None else [])]
        for statements, nested in reversed(scopes):
            function = next((f for f in statements if type(f) is cst.FunctionDef and f.name.value == func.value), None)
            if function is not None:
                return function, [p.name.value for p in function.params.params], nested
        return None
    if type(func) is cst.Attribute and is_self_attr(func):
        cls = index.class_of(call)
        method = next((m for m in block(cls.body) if type(m) is cst.FunctionDef and m.name.value == func.attr.value), None) if cls is not None else None
        if method is not None:
            return method, [p.name.value for p in method.params.params][1:], False
    return None


def iterated(iterable: cst.BaseExpression) -> cst.BaseExpression:
    """`events` for `enumerate(events)`."""
    if type(iterable) is cst.Call and type(iterable.func) is cst.Name and iterable.func.value == "enumerate" and iterable.args:
        return iterable.args[0].value
    return iterable


def container_key(index: ModuleIndex, expr: cst.BaseExpression) -> str | None:
    """`history` for `history`, `self.history`, `history[-10:]`, `[sys, *history]`, `list(history)`,
    `a + history`; `histories[user_id]` for an entry of a kept dict (`ModuleIndex.history_key`)."""
    key = index.history_key(expr)
    if key is not None:
        return key
    if type(expr) is cst.Subscript:
        return container_key(index, expr.value)
    if type(expr) in (cst.List, cst.Tuple):
        for element in expr.elements:
            if type(element) is cst.StarredElement:
                return container_key(index, element.value)
        return None
    if type(expr) is cst.BinaryOperation and type(expr.operator) is cst.Add:
        return container_key(index, expr.right) or container_key(index, expr.left)
    if type(expr) is cst.Call and _is_copy(expr):
        inner = expr.func.value if type(expr.func) is cst.Attribute else expr.args[0].value
        return container_key(index, inner)
    if type(expr) is cst.Call:
        helped = through_helper(index, expr)  # `[SYSTEM] + recent(history) + [turn]`
        return container_key(index, helped[0]) if helped is not None else None
    return None


def _is_copy(call: cst.Call) -> bool:
    if type(call.func) is cst.Name and call.func.value in ("list", "tuple") and len(call.args) == 1:
        return True
    return type(call.func) is cst.Attribute and call.func.attr.value == "copy" and not call.args


def grows(index: ModuleIndex, root: cst.CSTNode, key: str, helpers: bool = True) -> bool:
    """Whether code under `root` adds to the list `key` (append, extend, +=, `x = x + [...]`), also
    through a helper given the conversation's key (`update_history(chat_id, "user", text)`)."""
    for node in walk_scope(root):
        if helpers and type(node) is cst.Call:
            if any(outer == key and grows(index, function.body, inner, helpers=False) for function, inner, outer in helper_entries(index, node)):
                return True
        if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in GROWERS:
            if index.history_key(node.func.value) == key:
                return True
        elif type(node) is cst.AugAssign and index.history_key(node.target) == key and type(node.operator) is cst.AddAssign:
            return True
        elif type(node) is cst.Assign and any(index.history_key(t.target) == key for t in node.targets):
            if mentions(index, node.value, key) and type(node.value) in (cst.BinaryOperation, cst.List):
                return True
    return False


def mentions(index: ModuleIndex, node: cst.CSTNode, key: str) -> bool:
    """Whether `node` reads the history `key` (a name, `self.attr` or a dict entry)."""
    if "[" not in key:
        return key in names_in(node)
    return any(type(n) in (cst.Name, cst.Subscript, cst.Call) and index.history_key(n) == key for n in walk_scope(node))


def class_grows(index: ModuleIndex, cls: cst.ClassDef | None, key: str) -> bool:
    """Whether a method of `cls` other than `__init__` grows `self.x`."""
    if cls is None or not key.startswith("self."):
        return False
    return any(type(m) is cst.FunctionDef and m.name.value not in INITIALIZERS and grows(index, m.body, key) for m in block(cls.body))


def find_turn(index: ModuleIndex, request: Request) -> Turn | None:
    """The conversation turn around `request`, or None for a single-shot call."""
    key, sent = sent_history(index, request)
    if key is None:
        return None
    call = request.call
    for loop in index.loops_around(call):
        rebuilt = _rerendered_from(index, loop, key)
        if rebuilt is not None:
            return Turn(request, rebuilt, loop, sent | {key}, rerendered=True)
        if grows(index, loop.body, key):
            return Turn(request, key, loop, sent | {key})
    function = index.function_of(call)
    if function is None:
        return None
    if key.startswith("self.") and (grows(index, function.body, key) or class_grows(index, index.class_of(call), key)):
        return Turn(request, key, function, sent | {key})
    if key in index.scope(call).params and (grows(index, function.body, key) or _grown_by_callers(index, function, key)):
        return Turn(request, key, function, sent | {key})
    if _kept_between_calls(index, call, key) and grows(index, function.body, key):
        # A handler called once per message, whose history outlives the call.
        return Turn(request, key, function, sent | {key})
    return None


def _grown_by_callers(index: ModuleIndex, function: cst.FunctionDef, param: str) -> bool:
    """`function` is called once per turn with a history its caller grows: `ask(q, history)` in a
    loop that appends to `history`, or in a handler whose history outlives the call."""
    for call, given_args in calls_of(index, function):
        given = given_args.get(param)
        key = index.history_key(given.value) if given is not None else None
        if key is None:
            continue
        if any(grows(index, loop.body, key) for loop in index.loops_around(call)):
            return True
        caller = index.function_of(call)
        if caller is not None and grows(index, caller.body, key) and (key.startswith("self.") or _kept_between_calls(index, call, key)):
            return True
    return False


def calls_of(index: ModuleIndex, function: cst.FunctionDef) -> list[tuple[cst.Call, dict[str, cst.Arg]]]:
    """Each call of a module function (by its name) or of a method (on `self`) from outside it, with
    the argument the call gives for each parameter."""
    params = [p.name.value for p in function.params.params]
    method = bool(params) and params[0] in ("self", "cls")
    name = function.name.value
    out: list[tuple[cst.Call, dict[str, cst.Arg]]] = []
    for call in index.calls:
        func = call.func
        named = type(func) is cst.Attribute and is_self_attr(func) and func.attr.value == name if method else type(func) is cst.Name and func.value == name
        if named and not index.inside(call, function):
            out.append((call, arguments_of(call, params[1:] if method else params)))
    return out


def outer_turn(index: ModuleIndex, turn: Turn) -> Turn | None:
    """The function call around a tool-use loop (`def chat(self, text): ... while True: create(...)`)
    when the history outlives the call: then each call is a user turn of the same conversation,
    and what the function picks per call (a model, a tool subset) changes between turns."""
    if type(turn.scope) not in LOOPS:
        return None
    call = turn.request.call
    function = index.function_of(call)
    if function is None:
        return None
    key = turn.history
    if key.startswith("self.") or key in index.scope(call).params or _kept_between_calls(index, call, key):
        return Turn(turn.request, key, function, turn.sent, turn.rerendered)
    return None


def _kept_between_calls(index: ModuleIndex, call: cst.Call, key: str) -> bool:
    """`key` is a module-level container, or an entry of a dict the module or object keeps
    (`histories[channel]`, also held in a local: `ModuleIndex.history_key`): it keeps its messages
    from one call of the function to the next."""
    scope = index.scope(call)
    module = index.module_scope()
    owner = entry_owner(key)
    if owner is not None:
        return owner.startswith("self.") or (owner not in scope.assigns and owner in module.assigns)
    if key not in scope.assigns:
        return key in module.assigns and "." not in key
    function = index.function_of(call)
    loaded = any(value is not None and _has_call(value) for _, value in scope.assigns[key])
    return loaded and function is not None and any(_stored(index, node, key) for node in walk_scope(function.body))


# Calls that keep a value past the function's return: files, databases, caches, sessions.
STORE_CALL = re.compile(r"save|store|persist|write|dump$|put|upsert|insert|update|cache|^set$|_set$|^set_", re.IGNORECASE)


def _stored(index: ModuleIndex, node: cst.CSTNode, key: str) -> bool:
    """`save_history(chat_id, history)`, `json.dump(history, f)`, `redis.set(k, json.dumps(history))`:
    a call that stores the history, so that the next call loads it again."""
    if type(node) is not cst.Call:
        return False
    return bool(STORE_CALL.search(last_name(node.func) or "")) and any(mentions(index, arg.value, key) for arg in node.args)


def _rerendered_from(index: ModuleIndex, loop: cst.For | cst.While, key: str) -> str | None:
    """`messages = [render(r) for r in runs[-5:]]` inside a loop that grows `runs`: returns `runs`.
    Also `messages = []` followed by `for r in runs: messages.append(render(r))`."""
    emptied = False
    for node in walk_scope(loop.body):
        if type(node) is cst.Assign and any(target_key(t.target) == key for t in node.targets):
            # What a comprehension walks first (`r in records`, not the `step` counter beside it);
            # sorted, so that the answer does not depend on the order of a set.
            walked = [clause.iter for comp in walk_scope(node.value) if type(comp) in (cst.ListComp, cst.GeneratorExp) for clause in comp_clauses(comp.for_in)]
            preferred = sorted({k for it in walked if (k := container_key(index, iterated(it))) is not None})
            for other in preferred + sorted(names_in(node.value)):
                if other != key and grows(index, loop.body, other):
                    return other
            emptied = emptied or (type(node.value) is cst.List and not node.value.elements)
    if emptied:
        for node in walk_scope(loop.body):
            if type(node) is cst.For and grows(index, node.body, key):
                iterable = iterated(node.iter)
                other = name_key(iterable.value if type(iterable) is cst.Subscript else iterable)
                if other is not None and other != key and grows(index, loop.body, other):
                    return other
    return None


def comp_clauses(clause: cst.CompFor | None) -> list[cst.CompFor]:
    """The `for` clauses of a comprehension, outermost first."""
    out = []
    while clause is not None:
        out.append(clause)
        clause = clause.inner_for_in
    return out


def turn_names(index: ModuleIndex, turn: Turn) -> set[str]:
    """Names whose value can differ from one turn to the next.

    Loop targets, lists grown in the turn, and names assigned inside the turn from anything but a constant (a call's
    result, another per-turn name); in a per-turn method, its parameters too. Iterates to a
    fixed point so `budget = limit // 2` after `limit = pick(state)` is per-turn.
    """
    body = turn.body
    changing: set[str] = set()
    if type(turn.scope) is cst.For:
        changing |= names_in(turn.scope.target)
    if type(turn.scope) is cst.While:
        # `while (user := get_input()) is not None:` reads a new input every turn.
        changing |= {name for node in walk_scope(turn.scope.test) if type(node) is cst.NamedExpr for name in names_in(node.target)}
    if type(turn.scope) is cst.FunctionDef:
        # The key a per-user history is kept under (`histories[uid]`) names the conversation: the same every turn.
        changing |= index.scope(turn.scope.body).params - {"self", "cls", entry_index(turn.history)}
    bindings: list[tuple[str, cst.BaseExpression | None]] = []
    for node in walk_scope(body):
        if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in GROWERS:
            key = index.history_key(node.func.value)
            if key is not None:
                changing.add(key)  # a list grown every turn differs every turn
        if type(node) is cst.For:
            changing |= names_in(node.target)
        elif type(node) is cst.AugAssign:
            key = target_key(node.target)
            if key is not None:
                changing.add(key)
        elif type(node) in (cst.Assign, cst.AnnAssign):
            for t in targets_of(node):
                # `user_model[chat_id] = route(text)`: the dict is written per turn too.
                key = target_key(t) or (name_key(t.value) if type(t) is cst.Subscript else None)
                if key is not None:
                    bindings.append((key, node.value))
        elif type(node) is cst.WithItem and node.asname is not None:
            changing |= names_in(node.asname.name)
    for _ in range(4):
        before = len(changing)
        for key, value in bindings:
            if key in changing or value is None:
                continue
            if not index.is_constant(value) and (_has_call(value) or names_in(value) & changing) and not per_conversation(index, value, body):
                changing.add(key)
        if len(changing) == before:
            break
    return changing


def per_conversation(index: ModuleIndex, value: cst.BaseExpression, body: cst.CSTNode) -> bool:
    """A value kept per user or chat: an entry of a dict the module keeps, or a part of one
    (`user_model[chat_id]`, `settings.setdefault(chat_id, DEFAULT)["thinking"]`), which the turn
    `body` does not assign (a `setdefault` keeps the first value it is given), or what a module
    function returns that only reads such entries (`model_for(uid)`)."""
    if type(value) is cst.BooleanOperation:  # `models.get(team) or DEFAULT`
        return all(per_conversation(index, part, body) or index.is_constant(part) for part in (value.left, value.right))
    if type(value) is cst.Call and (type(value.func) is cst.Name or is_self_attr(value.func)):
        found = _helper_of(index, value)
        returns = return_values(found[0]) if found is not None else []
        return bool(returns) and all(per_conversation(index, r, body) for r in returns)
    node = value
    while type(node) is cst.Subscript and not _kept_entry(index, node) and type(node.slice[0].slice) is cst.Index:
        node = node.value  # `...["model"]`
    if not _kept_entry(index, node):
        return False
    owner = entry_owner(index.history_key(node) or "")
    handlers = [h for h in walk_scope(body) if type(h) is cst.ExceptHandler]
    for statement in walk_scope(body):
        if any(index.inside(statement, h) for h in handlers):
            continue  # `except RateLimitError: model_of[uid] = BACKUP`: a sticky fallback, kept from then on
        if type(statement) in (cst.Assign, cst.AugAssign):
            if any(type(t) is cst.Subscript and name_key(t.value) == owner for t in targets_of(statement)):
                return False
    return True


def _kept_entry(index: ModuleIndex, node: cst.BaseExpression) -> bool:
    key = index.history_key(node)
    return key is not None and "[" in key


def _has_call(node: cst.CSTNode) -> bool:
    return any(type(n) is cst.Call for n in walk_scope(node))
