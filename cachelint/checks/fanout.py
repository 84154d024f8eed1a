"""CL508: parallel requests that share a cached prefix, started before any of them has written it.

A cache entry becomes readable only once the first response has begun (reference §3.3), so N
requests started together all miss and all write the same prefix. This finds the fan-outs
(`asyncio.gather`, `create_task` or `submit` in a loop or comprehension, executor and pool `map`,
`run_in_executor`, anyio `start_soon`), follows each task to the first request it sends (directly,
or through functions of this module), works out which part of that request is the same for every
task, and reports when that part is cached (an explicit breakpoint on it; on OpenAI, an automatic
prefix of at least the minimum) and nothing earlier in the same function has sent it first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import libcst as cst

from cachelint.catalogue import Rule
from cachelint.checks.astutil import UNKNOWN, ModuleIndex, Request, dict_value, int_value, names_in, target_key, walk_scope
from cachelint.checks.breakpoints import SEGMENT_ORDER, Breakpoint, literal_tokens, prefix_tokens, request_layout
from cachelint.checks.findings import diagnostic, sink_related
from cachelint.diagnostics import Diagnostic
from cachelint.engine.nodes import SCOPES, walk
from cachelint.providers import ModelFacts, ProviderFacts

# Calls that run the coroutines they are given concurrently: spread as `*coros`, or as one iterable.
GATHERS = {"asyncio.gather": "*", "asyncio.as_completed": "", "asyncio.wait": ""}
TASK_STARTERS = ("create_task", "ensure_future", "start_soon", "submit", "run_in_executor")
POOL_MAPS = ("map", "imap", "imap_unordered", "starmap", "map_async", "starmap_async")
EXECUTORS = ("ThreadPoolExecutor", "ProcessPoolExecutor", "Pool", "ThreadPool")
GROWERS = ("append", "extend", "add", "insert")
# OpenAI options that show the caller relies on the cache, so a shared prefix of unknown size is meant to be cached.
OPENAI_CACHE_OPTIONS = ("prompt_cache_key", "prompt_cache_retention", "prompt_cache_options")


@dataclass
class Task:
    """What every task of a fan-out calls: `callee(*args)`, with `varying` the names that differ per task.

    `#i` in `varying` marks the i-th argument as different per task when it has no name to follow
    (explicit `gather(f(1), f(2))`, or the element a pool's `map` hands to each task).
    """

    node: cst.Call  # the call that starts the tasks (reported here)
    start: cst.CSTNode  # the statement (or loop) where the fan-out begins: a warm-up must come before it
    call: cst.Call | None  # the per-task call as written, when there is one
    callee: cst.BaseExpression
    args: list[cst.Arg]
    varying: set[str]
    count: int | None  # how many tasks, when it can be told


@dataclass
class Shared:
    """The last segment of the part of a request that every task sends, and its breakpoint (None: automatic)."""

    segment: str
    breakpoint: Breakpoint | None


def fanout_diagnostics(index: ModuleIndex, rule: Rule, filename: str, providers: ProviderFacts) -> list[Diagnostic]:
    """Every CL508 finding of one module."""
    out: list[Diagnostic] = []
    seen: set[int] = set()
    tasks = _fan_outs(index)
    functions: dict[str, list[cst.FunctionDef]] = {}
    if tasks:
        for node in walk(index.module):
            if type(node) is cst.FunctionDef:
                functions.setdefault(node.name.value, []).append(node)
    for task in tasks:
        line = index.line(task.node)
        if line in seen or (task.count is not None and task.count < 2):
            continue
        found = _task_request(index, functions, task, depth=0)
        if found is None:
            continue
        request, varying = found
        message = _finding(index, task, request, varying, providers)
        if message is None or _warmed(index, task, request):
            continue
        seen.add(line)
        text, segment = message
        out.append(diagnostic(rule, index, task.node, text, filename, segment, sink_related(index, request, filename)))
    return out


# ---------------------------------------------------------------------- fan-outs
def _fan_outs(index: ModuleIndex) -> list[Task]:
    """Every call that starts several tasks at once, with what each task calls."""
    found: list[Task] = []
    for call in index.calls:
        qualname = index.qualname(call.func) or ""
        name = qualname.rsplit(".", 1)[-1]
        task: Task | None = None
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        if qualname in GATHERS:
            task = _gathered(index, call, GATHERS[qualname])
        elif name in TASK_STARTERS:
            task = _started(index, call, name)
        elif name in POOL_MAPS and type(call.func) is cst.Attribute and len(positional) >= 2 and not _single_worker(index, call.func.value):
            task = _mapped(index, call, positional, star=name.startswith("starmap"))
        if task is not None:
            found.append(task)
    return found


def _gathered(index: ModuleIndex, call: cst.Call, spread: str) -> Task | None:
    """`gather(*(f(x) for x in xs))`, `gather(*map(f, xs))`, `gather(*coros)` after a loop appends `f(x)`,
    `gather(f(a), f(b))`, and the same for `as_completed(...)`/`wait(...)` given one iterable.

    Tasks made with `create_task` start before the gather, so they are found at their `create_task`.
    """
    statement = index.statement_of(call)
    args = [a for a in call.args if a.keyword is None]  # not `return_exceptions=`, `timeout=`
    if args and args[0].star == spread and (spread == "" or len(args) == 1):
        source = index.resolve(args[0].value)
        if type(source) in (cst.ListComp, cst.GeneratorExp) and type(source.elt) is cst.Call and not _starts_task(index, source.elt):
            inner = source.elt
            return Task(call, statement, inner, inner.func, list(inner.args), _comp_names(source), _length(index, source.for_in.iter))
        if type(source) is cst.Call and type(source.func) is cst.Name and source.func.value == "map" and len(source.args) >= 2:
            return _mapped(index, call, [a.value for a in source.args], star=False)
        return _appended(index, call, args[0].value)
    if spread == "":
        return None
    branches = [a.value for a in args if a.star == "" and type(a.value) is cst.Call]
    if len(branches) < 2 or len(branches) != len(args) or len({index.code(b.func) for b in branches}) != 1:
        return None
    first = branches[0]
    if any(len(b.args) != len(first.args) for b in branches):
        return None
    differ = [i for i in range(len(first.args)) if len({index.code(b.args[i].value) for b in branches}) > 1]
    varying = {f"#{i}" for i in differ} | {n for i in differ for n in names_in(first.args[i].value)}
    return Task(call, statement, first, first.func, list(first.args), varying, len(branches))


def _mapped(index: ModuleIndex, node: cst.Call, positional: list[cst.BaseExpression], star: bool) -> Task:
    """`map(f, xs)` in its pool or builtin form: each task gets one element of each iterable (`starmap`: a tuple of arguments)."""
    iterables = [cst.Arg(value, star="*" if star else "") for value in positional[1:]]
    varying = {f"#{i}" for i in range(len(iterables))}
    return Task(node, index.statement_of(node), None, positional[0], iterables, varying, _length(index, positional[1]))


def _appended(index: ModuleIndex, gather: cst.Call, source: cst.BaseExpression) -> Task | None:
    """`for x in xs: coros.append(f(x))` before `gather(*coros)`."""
    key = target_key(source) if type(source) in (cst.Name, cst.Attribute) else None
    function = index.function_of(gather)
    if key is None or function is None:
        return None
    for node in walk_scope(function.body):
        if not (type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "append"):
            continue
        if target_key(node.func.value) != key or not node.args or type(node.args[0].value) is not cst.Call:
            continue
        inner = node.args[0].value
        loop = next((a for a in index.ancestors(node) if type(a) is cst.For), None)
        if loop is None or _starts_task(index, inner) or index.line(loop) > index.line(gather):
            return None
        varying = _spread(loop.body, names_in(loop.target))
        return Task(gather, loop, inner, inner.func, list(inner.args), varying, _length(index, loop.iter))
    return None


def _started(index: ModuleIndex, call: cst.Call, method: str) -> Task | None:
    """`create_task(f(x))`, `pool.submit(f, x)`, `tg.start_soon(f, x)`, `run_in_executor(None, f, x)` repeated by a loop."""
    args = list(call.args[1:] if method == "run_in_executor" else call.args)
    if not args or (method == "submit" and type(call.func) is cst.Attribute and _single_worker(index, call.func.value)):
        return None
    inner: cst.Call | None = None
    if method in ("create_task", "ensure_future"):
        if type(args[0].value) is not cst.Call:
            return None
        inner = args[0].value
        callee, passed = inner.func, list(inner.args)
    else:
        callee, passed = args[0].value, args[1:]
    for a in index.ancestors(call):
        if type(a) in SCOPES:
            return None
        if type(a) in (cst.ListComp, cst.GeneratorExp, cst.SetComp):
            return Task(call, index.statement_of(call), inner, callee, passed, _comp_names(a), _length(index, a.for_in.iter))
        if type(a) is cst.For:
            return Task(call, a, inner, callee, passed, _spread(a.body, names_in(a.target)), _length(index, a.iter))
    return None


def _starts_task(index: ModuleIndex, call: cst.Call) -> bool:
    return (index.qualname(call.func) or "").rsplit(".", 1)[-1] in ("create_task", "ensure_future")


def _comp_names(comp: cst.ListComp | cst.GeneratorExp | cst.SetComp) -> set[str]:
    names: set[str] = set()
    for_in: cst.CompFor | None = comp.for_in
    while for_in is not None:
        names |= names_in(for_in.target)
        for_in = for_in.inner_for_in
    return names


def _length(index: ModuleIndex, iterable: cst.BaseExpression) -> int | None:
    """The number of items of a literal list or of `range(n)`, else None."""
    if type(iterable) is cst.Call and type(iterable.func) is cst.Name and iterable.func.value == "range" and len(iterable.args) == 1:
        return int_value(iterable.args[0].value)
    listed = index.elements(iterable)
    return len(listed[0]) if listed is not None and listed[1] else None


def _single_worker(index: ModuleIndex, receiver: cst.BaseExpression) -> bool:
    """The executor or pool has one worker (`max_workers=1`, `Pool(1)`), so its tasks run one after another."""
    key = target_key(receiver) if type(receiver) in (cst.Name, cst.Attribute) else None
    if key is None:
        return False
    for node in walk(index.scope(receiver).node):
        value = None
        if type(node) is cst.WithItem and node.asname is not None and target_key(node.asname.name) == key:
            value = node.item
        elif type(node) is cst.Assign and any(target_key(t.target) == key for t in node.targets):
            value = node.value
        if type(value) is cst.Call and (index.qualname(value.func) or "").rsplit(".", 1)[-1] in EXECUTORS:
            width = next((a.value for a in value.args if a.keyword is None or a.keyword.value in ("max_workers", "processes")), None)
            return int_value(width) == 1
    return False


# ---------------------------------------------------------------------- the request a task sends
def _task_request(index: ModuleIndex, functions: dict[str, list[cst.FunctionDef]], task: Task, depth: int) -> tuple[Request, set[str]] | None:
    """The first request a task sends, and the names that differ between tasks where that request is built."""
    if task.call is not None:
        request = next((r for r in index.requests if r.call is task.call), None)
        if request is not None:
            if any(f"#{i}" in task.varying and not names_in(a.value) for i, a in enumerate(task.args)):
                return None  # explicit branches that differ in a literal: which segment it feeds is not followed
            return request, task.varying
    callee = task.callee
    if type(callee) is cst.Lambda and type(callee.body) is cst.Call:
        # `pool.map(lambda d: summarize(d, STYLE), docs)`: the lambda's parameters take the per-task arguments.
        params = [p.name.value for p in callee.params.params]
        lambda_varying = {p for i, p in enumerate(params) if f"#{i}" in task.varying}
        body = callee.body
        return _task_request(index, functions, replace(task, call=body, callee=body.func, args=list(body.args), varying=lambda_varying), depth + 1)
    function = _function(index, functions, callee, task.node)
    if function is None or depth > 3:
        return None
    varying = _spread(function.body, _varying_params(function, task))
    own = next((r for r in index.requests if index.function_of(r.call) is function), None)
    if own is not None:
        return own, varying
    # A wrapper: follow the first call to a function of this module that sends a request.
    for node in walk_scope(function.body):
        if type(node) is cst.Call and _function(index, functions, node.func, node) is not None:
            inner = Task(task.node, task.start, node, node.func, list(node.args), varying, task.count)
            found = _task_request(index, functions, inner, depth + 1)
            if found is not None:
                return found
    return None


def _function(index: ModuleIndex, functions: dict[str, list[cst.FunctionDef]], callee: cst.BaseExpression, at: cst.CSTNode) -> cst.FunctionDef | None:
    """The function of this module a callee names: `f` (nested in the caller, or at module level) or `self.f` (a method)."""
    if type(callee) is cst.Attribute and type(callee.value) is cst.Name and callee.value.value == "self":
        cls = index.class_of(at)
        methods = [f for f in functions.get(callee.attr.value, []) if cls is not None and index.class_of(f) is cls and index.function_of(f) is None]
        return methods[0] if methods else None
    if type(callee) is not cst.Name:
        return None
    outer = index.function_of(at)
    candidates = [f for f in functions.get(callee.value, []) if f is not outer]
    nested = [f for f in candidates if outer is not None and index.function_of(f) is outer]
    return (nested or [f for f in candidates if index.parent(f) is index.module] or [None])[0]


def _varying_params(function: cst.FunctionDef, task: Task) -> set[str]:
    """The parameters of `function` bound to an argument that differs between tasks."""
    params = [p.name.value for p in (*function.params.posonly_params, *function.params.params)]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    out: set[str] = set()
    position = 0
    for i, arg in enumerate(task.args):
        differs = f"#{i}" in task.varying or bool(names_in(arg.value) & task.varying)
        if arg.keyword is not None:
            if differs:
                out.add(arg.keyword.value)
        elif arg.star:
            if differs:
                out |= set(params[position:])
        else:
            if differs and position < len(params):
                out.add(params[position])
            position += 1
    return out


def _spread(body: cst.CSTNode, seeds: set[str]) -> set[str]:
    """`seeds` plus every name assigned, iterated or grown from them inside `body` (to a fixed point)."""
    varying = set(seeds)
    for _ in range(5):
        before = len(varying)
        for node in walk_scope(body):
            if type(node) in (cst.Assign, cst.AnnAssign, cst.AugAssign) and node.value is not None and names_in(node.value) & varying:
                targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]
                varying |= {n for t in targets for n in names_in(t)}
            elif type(node) is cst.For and names_in(node.iter) & varying:
                varying |= names_in(node.target)
            elif type(node) is cst.WithItem and node.asname is not None and names_in(node.item) & varying:
                varying |= names_in(node.asname.name)
            elif type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in GROWERS:
                if any(names_in(a.value) & varying for a in node.args):
                    varying |= names_in(node.func.value)
        if len(varying) == before:
            break
    return varying


# ---------------------------------------------------------------------- the shared, cached prefix
def _finding(index: ModuleIndex, task: Task, request: Request, varying: set[str], providers: ProviderFacts) -> tuple[str, str] | None:
    facts = providers.lookup(request.provider, index.model_name(request))
    if facts is None or any(_varies(request.arg(key), varying) for key in ("model", "modelId")):
        return None  # each model has its own cache: tasks on different models share nothing
    if request.provider == "openai":
        shared = _openai_shared(index, request, varying, facts)
    else:
        shared = _shared_breakpoint(index, request, varying, facts)
    if shared is None:
        return None
    ttl = shared.breakpoint.ttl if shared.breakpoint is not None else None
    write = facts.price.cache_write_1h if ttl == "1h" else facts.price.cache_write_5m
    cost = f"writes the shared prefix at {write:g}x" if write > 1 else "pays the full input price for the shared prefix"
    many, reads = (str(task.count), f"{task.count - 1} reads") if task.count is not None else ("several", "reads")
    up_to = "up to its breakpoint" if shared.breakpoint is not None else "cached automatically"
    message = (
        f"`{index.short(task.node.func)}` starts {many} `{index.analysis.call_text(request.call)}` calls at once that share one "
        f"cached prefix (through `{shared.segment}`, {up_to}): a cache entry is readable only once the first response has begun, "
        f"so every parallel call misses and {cost}, instead of one write followed by {reads} at {facts.price.cache_read:g}x; "
        "send one call (or a `max_tokens=0` pre-warm of the shared prefix) and wait for it, then fan out the rest"
    )
    return message, shared.segment


def _varies(expr: cst.BaseExpression | None, varying: set[str]) -> bool:
    return expr is not None and bool(names_in(expr) & varying)


def _shared_breakpoint(index: ModuleIndex, request: Request, varying: set[str], facts: ModelFacts) -> Shared | None:
    """The last Anthropic/Bedrock breakpoint whose prefix every task sends, when that prefix can be cached."""
    shared: Breakpoint | None = None
    for bp in request_layout(index, request).breakpoints:
        if bp.kind not in ("block", "cachepoint", "top-level"):
            continue
        if not _same_prefix(index, request, bp, varying):
            break  # every later breakpoint's prefix holds this varying part too
        shared = bp
    if shared is None:
        return None  # no breakpoint, or only on per-task content: nothing is shared, so nothing is lost
    tokens = prefix_tokens(index, request, shared)
    if tokens is not None and tokens < facts.min_tokens_low:
        return None  # below the minimum nothing is cached
    return Shared(shared.segment, shared)


def _same_prefix(index: ModuleIndex, request: Request, bp: Breakpoint, varying: set[str]) -> bool:
    for segment in SEGMENT_ORDER:
        expr = index.tools_expr(request) if segment == "tools" else request.arg(segment)
        if segment == bp.segment and bp.kind != "top-level":
            return not any(_varies(part, varying) for part in _parts_up_to(index, expr, bp))
        if _varies(expr, varying):
            return False
    return True


def _parts_up_to(index: ModuleIndex, expr: cst.BaseExpression | None, bp: Breakpoint) -> list[cst.BaseExpression]:
    """The elements of `bp`'s segment up to the block it marks: earlier messages, then that message's blocks."""
    listed = index.elements(expr)
    if expr is None or listed is None:
        return [expr] if expr is not None else []
    parts: list[cst.BaseExpression] = []
    for item in listed[0]:
        resolved = index.resolve(item)
        if bp.segment == "messages":
            content = dict_value(resolved, "content") if type(resolved) is cst.Dict else None
            if content is not None and _marks(index, index.elements(content), bp):
                return parts + _parts_up_to(index, content, replace(bp, segment="blocks"))
        elif resolved is bp.block or resolved is bp.marker or index.inside(bp.marker, item):
            return parts + [item]
        parts.append(item)
    return parts


def _marks(index: ModuleIndex, listed: tuple[list[cst.BaseExpression], bool] | None, bp: Breakpoint) -> bool:
    """One of these blocks is the one `bp` marks."""
    return listed is not None and any(b is bp.marker or index.resolve(b) in (bp.block, bp.marker) or index.inside(bp.marker, b) for b in listed[0])


def _openai_shared(index: ModuleIndex, request: Request, varying: set[str], facts: ModelFacts) -> Shared | None:
    """The leading part of an OpenAI request that every task sends, when it reaches the automatic-caching minimum."""
    if _varies(request.arg("prompt_cache_key"), varying):
        return None  # one key per task: the tasks are routed apart and share no cache anyway
    parts: list[tuple[str, cst.BaseExpression]] = []
    for argument in ("tools", "instructions", "messages", "input"):
        expr = request.arg(argument)
        if expr is None:
            continue
        listed = index.elements(expr) if argument in ("messages", "input") else None
        items = listed[0] if listed is not None else [expr]
        same = _leading(items, varying)
        parts.extend((_openai_segment(index, argument, item), item) for item in same)
        if len(same) < len(items):
            break
    if not parts:
        return None
    known = 0
    unknown = False
    for segment, part in parts:
        value = index.evaluate(part)
        if value is UNKNOWN:
            unknown = True
        else:
            known += literal_tokens(value, structured=segment == "tools")
    if known < facts.min_tokens_high and not (unknown and any(request.arg(o) is not None for o in OPENAI_CACHE_OPTIONS)):
        return None  # below the minimum, or of unknown size in a call that does not rely on the cache
    return Shared(parts[-1][0], None)


def _leading(items: list[cst.BaseExpression], varying: set[str]) -> list[cst.BaseExpression]:
    out = []
    for item in items:
        if _varies(item, varying):
            break
        out.append(item)
    return out


def _openai_segment(index: ModuleIndex, argument: str, part: cst.BaseExpression) -> str:
    if argument in ("tools", "instructions"):
        return "tools" if argument == "tools" else "system"
    message = index.resolve(part)
    role = index.evaluate(dict_value(message, "role")) if type(message) is cst.Dict else None
    return "system" if role in ("system", "developer") else "messages"


# ---------------------------------------------------------------------- warm-up
def _warmed(index: ModuleIndex, task: Task, request: Request) -> bool:
    """Something earlier in the same function sends the shared prefix first.

    The same task called once (`await classify(items[0])`), a request with the same system prompt,
    a `max_tokens=0` request, or a call whose name says it warms (`prewarm_cache()`).
    """
    scope = index.function_of(task.node)
    start = index.line(task.start)
    callee = index.code(task.callee)
    system = request.arg("system")
    requests = {id(r.call): r for r in index.requests}
    for node in walk_scope(scope.body if scope is not None else index.module):
        if type(node) is not cst.Call or index.line(node) >= start:
            continue
        if index.code(node.func) == callee or "warm" in index.code(node.func).lower():
            return True
        earlier = requests.get(id(node))
        if earlier is None:
            continue
        same_system = system is None or (earlier.arg("system") is not None and index.code(earlier.arg("system")) == index.code(system))
        if same_system or int_value(earlier.arg("max_tokens")) == 0:
            return True
    return False
