"""CL5xx: conversation dynamics, what changes between the turns of one conversation.

Every rule here starts from a conversation turn (`turns.find_turn`): the loop or per-turn method
that grows a history and re-sends it. Inside the turn it looks for the history being trimmed from
the front (CL501) or rewritten (CL502), and for the tools (CL503), cache-keying parameters
(CL504), model (CL505), OpenAI `prompt_cache_key` (CL506) or images (CL507) changing per turn.
Parallel requests that all write one shared prefix (CL508) are found in `fanout.py`.
"""

from __future__ import annotations

import re

import libcst as cst

from cachelint.catalogue import Rule
from cachelint.checks.astutil import (
    ModuleIndex,
    Request,
    block,
    dict_element,
    dict_value,
    entry_owner,
    int_value,
    is_self_attr,
    last_name,
    name_key,
    names_in,
    return_values,
    returned,
    target_key,
    targets_of,
    walk_scope,
)
from cachelint.checks.fanout import fanout_diagnostics
from cachelint.checks.findings import diagnostic, sink_related
from cachelint.checks.pricing import priced
from cachelint.checks.turns import (
    Turn,
    calls_of,
    comp_clauses,
    container_key,
    find_turn,
    grows,
    helper_entries,
    iterated,
    mentions,
    outer_turn,
    per_conversation,
    through_helper,
    turn_names,
)
from cachelint.diagnostics import Diagnostic, Related
from cachelint.engine.nodes import INITIALIZERS, string_value, walk
from cachelint.providers import ProviderFacts, load_provider_facts

DRIFT_PARAMS = ("tool_choice", "thinking", "output_config", "reasoning_effort", "reasoning", "speed", "additionalModelRequestFields")
MODEL_PARAMS = ("model", "modelId")
TOOL_MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear"})
# What happens to the history: it costs nothing yet where no cache breakpoint reaches the messages.
HISTORY_RULES = frozenset({"CL501", "CL502", "CL504", "CL507"})
CACHE_MARKERS = ("cache_control", "cachePoint")
# A bound that a count must pass before history is edited: smaller ones are crossed almost every turn.
MIN_THRESHOLD = 10
SELECTORS = re.compile(r"select|filter|rank|relevan|route|choose|pick|retriev|top|subset|shortlist|sorted|nlargest|nsmallest", re.IGNORECASE)
REQUEST_ID = re.compile(r"^(request|req|trace|correlation|span|message|msg)_?id$", re.IGNORECASE)
REQUEST_HEADER = re.compile(r"^(x-)?(request|req|trace|correlation|amzn-trace)-?id$", re.IGNORECASE)
IMAGE_ENCODERS = ("b64encode", "save", "screenshot", "grab", "encode_image")
TRUNCATION_COST = (
    "once the window is full every turn shifts the history by one step, so nothing after the system prompt is ever read "
    "from cache and the whole history is re-written at 1.25x each turn"
)


def conversation_diagnostics(
    index: ModuleIndex, rules: dict[str, Rule], filename: str, providers: ProviderFacts | None = None
) -> list[Diagnostic]:
    """Every CL5xx finding of one module (only the rules present in `rules` are run).

    `index` is the module's index shared with the CL4xx checks; `providers` (for CL508) defaults to
    the shipped `rules/providers.yaml`.
    """
    if not any(code.startswith("CL5") for code in rules):
        return []
    checker = _Checker(index, rules, filename)
    for request in [*index.requests, *index.wrapped_requests()]:
        checker.check_cache_key(request)
        turn = find_turn(index, request)
        if turn is not None:
            checker.check_turn(turn)
    for request in index.requests:
        checker.check_history_classes(request)
    checker.check_deques()
    if "CL508" in rules:
        checker.out += fanout_diagnostics(index, rules["CL508"], filename, providers or load_provider_facts())
    return checker.out


class _Checker:
    def __init__(self, index: ModuleIndex, rules: dict[str, Rule], filename: str) -> None:
        self.index = index
        self.rules = rules
        self.filename = filename
        self.out: list[Diagnostic] = []
        self._seen: set[tuple[str, int]] = set()
        self._turns: set[tuple[int, str]] = set()
        self.sent_histories: dict[str, Turn] = {}
        # The call in a turn's body through which a helper's body receives the history.
        self._helper_calls: dict[tuple[int, int], cst.Call] = {}
        self._encoders: set[str] | None = None
        self._marker_nodes: list[cst.CSTNode] | None | bool = False  # False: not looked for yet
        self._moved: bool | None = None  # whether the module moves breakpoint markers (None: not looked for yet)

    def report(self, code: str, node: cst.CSTNode, message: str, segment: str | None, turn: Turn | Request | None = None) -> None:
        rule = self.rules.get(code)
        line = self.index.line(node)
        if rule is None or (code, line) in self._seen:
            return
        self._seen.add((code, line))
        request = turn.request if isinstance(turn, Turn) else turn
        severity = None
        if code in HISTORY_RULES and request is not None and self._messages_uncached(request):
            # The pattern is there, but nothing it touches is cached yet: say so, at low severity.
            severity = "low"
            message += f"; no cache breakpoint reaches the messages of this {request.provider} request yet, so today this costs nothing: it will once the history is cached (a breakpoint on the newest message, or top-level `cache_control`)"
        related: tuple[Related, ...] = sink_related(self.index, request, self.filename) if request is not None else ()
        message = priced(message, [request.provider] if request is not None else [])
        self.out.append(diagnostic(rule, self.index, node, message, self.filename, segment, related, severity))

    def _messages_uncached(self, request: Request) -> bool:
        """An Anthropic or Bedrock request whose messages no breakpoint reaches: every cache marker
        of the module sits in its system prompt or tools (or there is none), no top-level
        `cache_control`, no `**params` that could add one. Those providers cache only up to a
        breakpoint, so what happens to the history costs nothing there."""
        if request.provider not in ("anthropic", "bedrock") or request.opaque or "cache_control" in request.keywords:
            return False
        holders = [self.index.resolve(e) for e in (request.arg("system"), self.index.tools_expr(request)) if e is not None]
        markers = self._markers()
        if markers is None:
            return False
        # Another request's own top-level `cache_control=` does not reach this one.
        others = {id(arg) for r in self.index.requests if r is not request for arg in r.keywords.values()}
        return all(id(m) in others or any(h is not None and (m is h or self.index.inside(m, h)) for h in holders) for m in markers)

    def _markers(self) -> list[cst.CSTNode] | None:
        """Every `cache_control` / `cachePoint` key or keyword of the module; None when the text
        holds more of them than the tree shows (a comment, an f-string: then nothing is assumed)."""
        if self._marker_nodes is not False:
            return self._marker_nodes
        found: list[cst.CSTNode] = []
        for node in walk(self.index.module):
            if type(node) is cst.SimpleString and string_value(node) in CACHE_MARKERS:
                found.append(node)
            elif type(node) is cst.Arg and node.keyword is not None and node.keyword.value in CACHE_MARKERS:
                found.append(node)
        text = self.index.analysis.source
        self._marker_nodes = found if sum(text.count(m) for m in CACHE_MARKERS) == len(found) else None
        return self._marker_nodes

    def check_turn(self, turn: Turn) -> None:
        key = (id(turn.scope), turn.history)
        self.sent_histories.setdefault(turn.history, turn)
        if key in self._turns:
            return
        self._turns.add(key)
        outer = outer_turn(self.index, turn)
        for root, history in self.scan_roots(turn) + ([(outer.body, outer.history)] if outer is not None else []):
            self.check_truncation(turn, root, history)
            self.check_rewrite(turn, root, history)
        self.check_sent_window(turn)
        self.check_breakpoint_pileup(turn)
        changing = turn_names(self.index, turn) | (turn_names(self.index, outer) if outer is not None else set())
        # What the function picks before its tool-use loop is picked once per user turn.
        whole = outer or turn
        self.check_tools(whole, changing)
        self.check_params(whole, changing)
        self.check_model(whole, changing)
        self.check_images(whole, changing)

    def scan_roots(self, turn: Turn) -> list[tuple[cst.CSTNode, str]]:
        """The turn body, plus helper functions it hands the history to, plus the object's other methods."""
        roots: list[tuple[cst.CSTNode, str]] = [(turn.body, turn.history)]
        functions = {f.name.value: f for f in walk(self.index.module) if type(f) is cst.FunctionDef}
        cls = self.index.class_of(turn.request.call)
        if turn.history.startswith("self.") and cls is not None:
            for method in block(cls.body):
                if type(method) is cst.FunctionDef and method.name.value not in INITIALIZERS and not self.index.inside(turn.request.call, method):
                    roots.append((method.body, turn.history))
        for node in walk_scope(turn.body):
            if type(node) is not cst.Call:
                continue
            target = functions.get(last_name(node.func) or "")
            if target is None or self.index.inside(node, target):
                continue
            params = [p.name.value for p in target.params.params]
            if params and params[0] in ("self", "cls") and type(node.func) is cst.Attribute:
                params = params[1:]
            for i, arg in enumerate(node.args):
                if arg.keyword is None and i < len(params) and self.index.history_key(arg.value) == turn.history:
                    roots.append((target.body, params[i]))
                    self._helper_calls[(id(turn.body), id(target.body))] = node
            for function, inner, outer in helper_entries(self.index, node):
                if outer == turn.history:  # `update_history(chat_id, ...)` cutting `chat_histories[chat_id]`
                    roots.append((function.body, inner))
                    self._helper_calls[(id(turn.body), id(function.body))] = node
        return roots + self._caller_roots(turn)

    def _caller_roots(self, turn: Turn) -> list[tuple[cst.CSTNode, str]]:
        """For a turn whose history is its function's parameter (`def respond(prompt, memory)`): the
        callers' bodies, with the history as they name it (`respond(text, self.memory)` followed by
        `self.memory = self.memory[-10:]`)."""
        function = turn.scope if type(turn.scope) is cst.FunctionDef else None
        if function is None or turn.history not in self.index.scope(turn.request.call).params:
            return []
        roots: list[tuple[cst.CSTNode, str]] = []
        for call, given_args in calls_of(self.index, function):
            given = given_args.get(turn.history)
            key = self.index.history_key(given.value) if given is not None else None
            loops = self.index.loops_around(call)
            caller = loops[0] if loops else self.index.function_of(call)  # the caller's own turn
            if key is not None and caller is not None:
                roots.append((caller.body, key))
        return roots

    # CL501 ------------------------------------------------------------
    def check_truncation(self, turn: Turn, root: cst.CSTNode, history: str) -> None:
        for node in walk_scope(root):
            statement: cst.CSTNode | None = None
            kept: cst.BaseExpression | None = None
            dropped: int | None = None
            window = _front_cut(self.index, node, history)
            if window is not None:
                statement, (kept, dropped) = node, window
            elif type(node) is cst.Call and type(node.func) is cst.Attribute and self.index.history_key(node.func.value) == history:
                method = node.func.attr.value
                first = int_value(node.args[0].value) if node.args else None
                if method == "popleft" or (method == "pop" and (first in (0, 1) or node.args and _searched_oldest(self.index, node, node.args[0].value, history))):
                    statement, dropped = node, 1
            if statement is not None and self._rebinds_unsent(statement, turn, history):
                continue
            if statement is not None and self._slides(statement, root, history, kept, dropped):
                self.report(
                    "CL501",
                    statement,
                    f"The conversation history `{history}` is trimmed from the front every turn (`{self.index.short(statement)}`): "
                    f"{TRUNCATION_COST}; trim in large steps only when over a budget (keep well under the threshold so the "
                    "trimmed prefix then stays stable for many turns), or summarise once and keep the summary fixed",
                    "messages",
                    turn,
                )

    def _rebinds_unsent(self, statement: cst.CSTNode, turn: Turn, history: str) -> bool:
        """`hist = hist[-6:]` after the request, where `hist` holds the dict entry `history`: the
        local is bound anew, the entry keeps every message, and the next turn takes the entry again."""
        if type(statement) is not cst.Assign or not all(type(t.target) is cst.Name and t.target.value != history for t in statement.targets):
            return False
        if self.index.line(turn.request.call) > self.index.line(statement):
            return False
        local = statement.targets[0].target.value  # type: ignore[attr-defined]
        # In a loop that does not take the entry again, the next turn sends the cut local.
        refetched = any(
            type(n) is cst.Assign and any(type(t.target) is cst.Name and t.target.value == local for t in n.targets) and local not in names_in(n.value)
            for n in walk_scope(turn.body)
        )
        return refetched or type(turn.scope) is cst.FunctionDef

    def _slides(self, statement: cst.CSTNode, root: cst.CSTNode, history: str, kept: cst.BaseExpression | None, dropped: int | None) -> bool:
        """True unless the trim is guarded so it runs rarely and cuts a large chunk (hysteresis)."""
        guards = [a for a in self.index.ancestors(statement) if type(a) in (cst.If, cst.While) and self.index.inside(a, root)]
        if dropped is not None and dropped <= 2 and self._after_rare_trim(statement, guards, root, history):
            return False
        if any(type(g) is cst.While for g in guards) and self._chunked_loop(guards, history):
            return False
        if not guards and kept is not None and (self._helper_called_past(root, history, kept) or self._returns_below(statement, root, history, kept)):
            return False
        if not guards or any(type(g) is cst.While for g in guards):
            return True
        if dropped is not None:
            return dropped <= 2
        bound = _length_bound(self.index, guards[0].test, history)
        if bound is None or kept is None:
            return False
        if self.index.code(bound) == self.index.code(kept):
            return True
        high, low = self.index.evaluate(bound), self.index.evaluate(kept)
        if isinstance(high, int) and isinstance(low, int):
            return high - low < max(4, high // 4)
        return False

    def _returns_below(self, statement: cst.CSTNode, root: cst.CSTNode, history: str, kept: cst.BaseExpression) -> bool:
        """`if len(self.messages) <= 90: return` ahead of the cut in the same body: it runs only past a
        bound well above what it keeps."""
        low = self.index.evaluate(kept)
        if type(root) is not cst.IndentedBlock or not isinstance(low, int) or isinstance(low, bool):
            return False
        for stmt in root.body:
            if stmt is statement or self.index.inside(statement, stmt):
                return False
            if type(stmt) is not cst.If or stmt.orelse is not None:
                continue
            test = stmt.test
            body = list(block(stmt.body))
            returns = bool(body) and type(body[-1]) is cst.SimpleStatementLine and type(body[-1].body[-1]) is cst.Return
            if returns and type(test) is cst.Comparison and len(test.comparisons) == 1 and type(test.comparisons[0].operator) in (cst.LessThan, cst.LessThanEqual):
                left = test.left
                if type(left) is cst.Call and left.args and self.index.history_key(left.args[0].value) == history:
                    high = self.index.evaluate(test.comparisons[0].comparator)
                    if isinstance(high, int) and high - low >= max(4, high // 4):
                        return True
        return False

    def _helper_called_past(self, root: cst.CSTNode, history: str, kept: cst.BaseExpression) -> bool:
        """`root` is the body of a helper (`def _compact(self): self.history = self.history[-10:]`)
        that every caller runs only past a length well above what it keeps (`if len(self.history) > 60:
        self._compact()`): the same hysteresis as a guard written around the cut itself."""
        function = self.index.parent(root)
        low = self.index.evaluate(kept)
        if type(function) is not cst.FunctionDef or not isinstance(low, int) or isinstance(low, bool):
            return False
        calls = [call for call, _ in calls_of(self.index, function)]
        flags = {target_key(t.target) for n in walk_scope(function.body) if type(n) is cst.Assign and type(n.value) is cst.Name and n.value.value == "True" for t in n.targets}
        for call in calls:
            tests = [part for a in self.index.ancestors(call) if type(a) is cst.If for part in _conjuncts(a.test)]
            if any(type(t) is cst.UnaryOperation and type(t.operator) is cst.Not and name_key(t.expression) in flags for t in tests):
                continue  # `if not self.summarised: self._summarise()`, which sets the flag: once
            bounds = [_length_bound(self.index, t, history) for t in tests]
            highs = [self.index.evaluate(b) for b in bounds if b is not None]
            if not any(isinstance(high, int) and high - low >= max(4, high // 4) for high in highs):
                return False
        return bool(calls)

    def _chunked_loop(self, guards: list[cst.If | cst.While], history: str) -> bool:
        """`if len(h) > 80: while len(h) > 30: h.pop(0)` (or the same with a token count of the
        history): a loop that cuts down to a bound well below the one that starts it (hysteresis),
        written as single pops."""
        lows = [_size_bound(self.index, g.test, history) for g in guards if type(g) is cst.While]
        highs = [_size_bound(self.index, g.test, history) for g in guards if type(g) is cst.If]
        for low in lows:
            for high in highs:
                if low is None or high is None or low[0] != high[0]:
                    continue
                low_value, high_value = self.index.evaluate(low[1]), self.index.evaluate(high[1])
                if isinstance(low_value, int) and isinstance(high_value, int) and high_value - low_value >= max(4, high_value // 4):
                    return True
        return False

    def _after_rare_trim(self, statement: cst.CSTNode, guards: list[cst.If | cst.While], root: cst.CSTNode, history: str) -> bool:
        """A fix-up beside a chunked trim under the same length test (dropping a leading assistant
        message after `messages = messages[-40:]`): it runs only when that trim does."""
        for guard in guards:
            if type(guard) is not cst.If or _length_bound(self.index, guard.test, history) is None:
                continue
            for node in walk_scope(guard.body):
                if node is statement or self.index.inside(node, statement):
                    continue
                window = _front_cut(self.index, node, history)
                # Only a large cut can be the chunked trim (a small one would come back here).
                if window is not None and (window[1] is None or window[1] > 2) and not self._slides(node, root, history, *window):
                    return True
        return False

    def check_sent_window(self, turn: Turn) -> None:
        """`messages=history[-20:]`: a window re-cut from the growing history every turn, never stored back."""
        source = turn.history
        candidates: list[tuple[cst.CSTNode, cst.CSTNode]] = []  # (where to report, expression holding the slice)
        expr = turn.request.arg("messages") or turn.request.arg("input")
        if expr is not None:
            candidates.append((expr, expr))
        for node in walk_scope(turn.body):
            if type(node) is cst.Assign and any(target_key(t.target) in turn.sent - {source} for t in node.targets):
                candidates.append((node, node.value))
            elif type(node) is cst.For and any(grows(self.index, node.body, name) for name in turn.sent - {source}):
                # A loop over the last records that fills the sent list; one that only marks them
                # (`for m in messages[-2:]: ...["cache_control"] = ...`) sends the whole history.
                candidates.append((node, node.iter))
        for where, value in candidates:
            for call in [value] if type(value) is cst.Call else [n for n in walk_scope(value) if type(n) is cst.Call]:
                helped = through_helper(self.index, call)
                if helped is not None and self.index.history_key(helped[0]) == source:
                    # `recent(history)` returning `h[-16:]`: the helper's slice, of this history.
                    value = helped[1].with_changes(value=helped[0])
                    break
            window = _front_slice(self.index, value, source)
            if window is None or _fixed_or_newest(self.index, window):
                continue
            shown = "re-rendered from the last records of" if turn.rerendered else "a window cut from the front of"
            self.report(
                "CL501",
                where,
                f"The messages sent each turn are {shown} the growing `{source}` (`{self.index.short(value)}`): "
                f"{TRUNCATION_COST}; keep the full history and compact it in large steps at a threshold, or summarise once and "
                "keep the summary fixed",
                "messages",
                turn,
            )
            return

    def check_deques(self) -> None:
        """`deque(maxlen=N)` holding a history that is sent: it drops the oldest turn on every append
        once full. For an entry of a dict (`histories[user_id]`), also the dict's default factory
        (`defaultdict(lambda: deque(maxlen=N))`)."""
        if not self.sent_histories:
            return
        assigns = [(n, [self.index.history_key(t) for t in targets_of(n)]) for n in walk(self.index.module) if type(n) in (cst.Assign, cst.AnnAssign)]
        for key, turn in self.sent_histories.items():
            # The dicts whose entries this history is (`histories[user_id]`, or `conv` after `conv = histories[channel]`).
            entries = [key] + [self.index.history_key(n.value) or "" for n, targets in assigns if key in targets]
            owners = {owner for entry in entries if (owner := entry_owner(entry)) is not None}
            found: list[tuple[cst.CSTNode, cst.BaseExpression | None, bool]] = []
            for node, targets in assigns:
                factory = key not in targets and bool(owners.intersection(targets))
                found.append((node, _default_factory(node.value) if factory else node.value if key in targets else None, factory))
            for node in walk(self.index.module):  # `calls.setdefault(sid, deque(maxlen=6))`
                if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "setdefault" and len(node.args) >= 2:
                    if name_key(node.func.value) in owners:
                        found.append((node, node.args[1].value, True))
            for node, value, factory in found:
                if type(value) is not cst.Call or not (self.index.qualname(value.func) or "").endswith("deque"):
                    continue
                sizes = [a.value for a in value.args if a.keyword is not None and a.keyword.value == "maxlen"] + [a.value for a in value.args[1:2] if a.keyword is None]
                if not sizes or self._never_fills(sizes[0], turn, key):
                    continue
                if factory:
                    owner = self.index.short(node.func.value if type(node) is cst.Call and type(node.func) is cst.Attribute else targets_of(node)[0])
                    what = f"Every entry of `{owner}` is a `deque` with `maxlen`, sent as the conversation history `{key}`"
                else:
                    what = f"`{key}` is a `deque` with `maxlen`, sent as the conversation history"
                self.report(
                    "CL501",
                    node,
                    f"{what}: {TRUNCATION_COST}; use a plain list and compact it in large steps at a threshold",
                    "messages",
                    turn,
                )

    def _never_fills(self, size: cst.BaseExpression, turn: Turn, key: str) -> bool:
        """`deque(maxlen=2 * MAX_TURNS)` in `for _ in range(MAX_TURNS):` with two appends a turn: the
        session ends before the window is full."""
        limit = self.index.evaluate(size)
        loop = turn.scope
        if not isinstance(limit, int) or type(loop) is not cst.For or type(loop.iter) is not cst.Call:
            return False
        if type(loop.iter.func) is not cst.Name or loop.iter.func.value != "range" or len(loop.iter.args) != 1:
            return False
        turns = self.index.evaluate(loop.iter.args[0].value)
        appends = sum(
            1 for n in walk_scope(loop.body)
            if type(n) is cst.Call and type(n.func) is cst.Attribute and n.func.attr.value in ("append", "appendleft") and self.index.history_key(n.func.value) == key
        )
        return isinstance(turns, int) and turns * appends <= limit

    def check_history_classes(self, request: Request) -> None:
        """A history kept by an object of a class of this module (`memory.messages`, `memory.get()`,
        `self.history.messages`) and cut from the front in that class's own methods."""
        expr = request.arg("messages") or request.arg("input")
        if expr is None:
            return
        for cls, key in self._class_histories(expr):
            self.sent_histories.setdefault(key, Turn(request, key, cls, {key}))
            for method in block(cls.body):
                if type(method) is cst.FunctionDef and method.name.value not in INITIALIZERS:
                    self.check_truncation(Turn(request, key, method, {key}), method.body, key)

    def _class_histories(self, expr: cst.BaseExpression) -> list[tuple[cst.ClassDef, str]]:
        """(class, `self.attr`) for each list attribute of an object of a module class that `expr`
        sends: `obj.attr`, or `obj.method()` that returns it."""
        found: list[tuple[cst.ClassDef, str]] = []
        for node in walk_scope(expr):
            if type(node) is cst.Call and type(node.func) is cst.Attribute and not node.args:
                owner, name, called = node.func.value, node.func.attr.value, True
            elif type(node) is cst.Attribute and not is_self_attr(node):
                owner, name, called = node.value, node.attr.value, False
            else:
                continue
            cls = self.index.instance_class(owner)
            if cls is None:
                continue
            if called:
                method = next((m for m in block(cls.body) if type(m) is cst.FunctionDef and m.name.value == name), None)
                returned_keys = {container_key(self.index, v) for v in return_values(method)} if method is not None else set()
                key = next((k for k in returned_keys if k is not None and k.startswith("self.")), None)
            else:
                key = f"self.{name}"
            if key is not None and _set_up(cls, key):
                found.append((cls, key))
        return found

    # CL402 ------------------------------------------------------------
    def check_breakpoint_pileup(self, turn: Turn) -> None:
        """A turn appended to the kept history with a breakpoint on it, every turn, while nothing in
        the module ever takes a breakpoint off: from the fifth turn the request has more than 4."""
        if turn.history in self.index.scope(turn.request.call).params or self._fresh(turn, turn.history) or self._moves_markers():
            return  # a caller's list (the caller may take the markers off), or one made anew each turn
        for node in walk_scope(turn.body):
            if not (type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "append" and node.args):
                continue
            if self.index.history_key(node.func.value) != turn.history or not self._marked_turn(node.args[0].value):
                continue
            self.report(
                "CL402",
                node,
                f"Every turn appends a message with a cache breakpoint to `{turn.history}` and no breakpoint is ever taken off "
                "an older one: from the fifth turn the request carries more than 4 and the API rejects it with HTTP 400; remove "
                "the marker from the previous message when adding the new one, or mark only the newest message of the list you send",
                "messages",
                turn,
            )
            return

    def _marked_turn(self, expr: cst.BaseExpression) -> bool:
        """A message dict with `cache_control` on it or on one of its content blocks, or a `cachePoint` block."""
        message = self.index.resolve(expr)
        if type(message) is not cst.Dict:
            return False
        if dict_element(message, "cache_control") is not None:
            return True
        content = self.index.resolve(dict_value(message, "content"))
        if type(content) not in (cst.List, cst.Tuple):
            return False
        blocks = [self.index.resolve(e.value) for e in content.elements if type(e) is cst.Element]
        return any(type(b) is cst.Dict and (dict_element(b, "cache_control") is not None or dict_element(b, "cachePoint") is not None) for b in blocks)

    def _moves_markers(self) -> bool:
        """Whether the module takes breakpoint markers off anywhere (`pop("cache_control")`, `del
        b["cache_control"]`, a comprehension that leaves them out) or sets them on existing blocks."""
        if self._moved is None:
            self._moved = self._find_marker_moves()
        return self._moved

    def _find_marker_moves(self) -> bool:
        for node in walk(self.index.module):
            if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "pop" and node.args:
                key = node.args[0].value
                if type(key) is cst.SimpleString and string_value(key) in CACHE_MARKERS:
                    return True
            elif type(node) is cst.Del:
                if any(_key_name(t) in CACHE_MARKERS for t in walk(node.target) if type(t) is cst.Subscript):
                    return True
            elif type(node) is cst.Assign:
                if any(_key_name(t.target) in CACHE_MARKERS for t in node.targets) or _strips_markers(node.value):
                    return True
        return False

    # CL502 ------------------------------------------------------------
    def check_rewrite(self, turn: Turn, root: cst.CSTNode, history: str) -> None:
        views = self._views(root, history)
        for node in walk_scope(root):
            if type(node) is cst.Assign:
                for target in node.targets:
                    moving = not self.index.is_constant(node.value) or self._older_positions(node, target.target, root)
                    if self._earlier_message(target.target, history) and moving and not _strips_markers(node.value):
                        self._rewritten(turn, root, node, f"an earlier message of `{history}` is assigned in place")
                    elif self.index.history_key(target.target) == history and _maps_over(self.index, node.value, history):
                        self._rewritten(turn, root, node, f"`{history}` is rebuilt from itself with each message transformed")
            elif type(node) is cst.For and _root_name(node.iter, self.index) == history:
                changed = self._changed_in_loop(node, history)
                if changed is not None:
                    self._rewritten(turn, root, changed, f"old messages of `{history}` are edited in place while walking it")
            elif type(node) is cst.For and _root_name(node.iter, self.index) in views and not _tail_only(node.iter):
                view = _root_name(node.iter, self.index) or ""
                changed = self._changed_in_loop(node, view)
                if changed is not None:
                    self._rewritten(turn, root, changed, f"parts of old messages of `{history}`, collected in `{view}`, are edited in place")
            elif type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "insert" and self.index.history_key(node.func.value) == history:
                position = int_value(node.args[0].value) if node.args else None
                if position is not None and position >= 0 and root is turn.body and not self._fresh(turn, history):
                    self._rewritten(turn, root, node, f"a message is inserted at position {position} of `{history}` every turn")
        if root is not turn.body:
            return
        changing = turn_names(self.index, turn)
        sent = turn.sent - {history}
        for node in walk_scope(turn.body):
            fresh = None
            if type(node) is cst.Assign and any(target_key(t.target) in sent for t in node.targets):
                fresh = self._fresh_render(node.value, history, changing)
            elif type(node) is cst.For and _root_name(iterated(node.iter), self.index) == history and type(iterated(node.iter)) is not cst.Subscript:
                fresh = self._fresh_render_loop(node, sent, changing)
            if fresh is not None:
                self._rewritten(turn, root, node, f"the whole history is re-rendered from `{history}` every turn with `{fresh}`, which changes per turn")

    def _rewritten(self, turn: Turn, root: cst.CSTNode, node: cst.CSTNode, what: str) -> None:
        called = self._helper_calls.get((id(turn.body), id(root)))
        if self._at_threshold(node, root) or self._past_threshold_return(node, root) or (called is not None and self._at_threshold(called, turn.body)):
            return  # edits batched at a compaction point, as the rule recommends
        self.report(
            "CL502",
            node,
            f"History rewrite: {what}. Every message after the first changed byte is re-written at 1.25x on every turn instead of "
            "being read at 0.1x; keep the history append-only and batch such edits at a compaction point",
            "messages",
            turn,
        )

    def _at_threshold(self, node: cst.CSTNode, root: cst.CSTNode) -> bool:
        """Under `if used > CLEAR_AT:` (a count against a large bound): it runs rarely, all at once."""
        for guard in self.index.ancestors(node):
            if not self.index.inside(guard, root):
                break
            if type(guard) is cst.If and self._threshold(guard.test, above=True):
                return True
        return False

    def _past_threshold_return(self, node: cst.CSTNode, root: cst.CSTNode) -> bool:
        """After `if used < CLEAR_AT: return` at the top of a helper: the rest runs only past the bound."""
        if type(root) is not cst.IndentedBlock:
            return False
        for stmt in root.body:
            if self.index.inside(node, stmt):
                return False
            if type(stmt) is cst.If and stmt.orelse is None and self._threshold(stmt.test, above=False):
                body = list(block(stmt.body))
                if body and type(body[-1]) is cst.SimpleStatementLine and type(body[-1].body[-1]) is cst.Return:
                    return True
        return False

    def _threshold(self, test: cst.BaseExpression, *, above: bool) -> bool:
        """`used > BOUND` (above) or `used < BOUND` (below), with a large constant bound."""
        if type(test) is not cst.Comparison or len(test.comparisons) != 1:
            return False
        comparison = test.comparisons[0]
        right_bound = (cst.GreaterThan, cst.GreaterThanEqual) if above else (cst.LessThan, cst.LessThanEqual)
        left_bound = (cst.LessThan, cst.LessThanEqual) if above else (cst.GreaterThan, cst.GreaterThanEqual)
        bound = comparison.comparator if isinstance(comparison.operator, right_bound) else test.left if isinstance(comparison.operator, left_bound) else None
        value = self.index.evaluate(bound) if bound is not None else None
        return isinstance(value, int) and not isinstance(value, bool) and value >= MIN_THRESHOLD

    def _views(self, root: cst.CSTNode, history: str) -> set[str]:
        """Names holding messages of `history`, or blocks inside them, themselves: `results = [p for m in
        history for p in m["content"] if ...]`, a list a loop over `history` appends them to (alone or
        in a tuple), and slices of those. Editing what they hold edits the history."""
        views: set[str] = set()
        nodes = list(walk_scope(root))
        for node in nodes:
            if type(node) is cst.Assign and type(node.value) in (cst.ListComp, cst.GeneratorExp):
                comp = node.value
                bound = {name for clause in comp_clauses(comp.for_in) for name in names_in(clause.target)}
                whole = type(comp.for_in.iter) is not cst.Subscript  # a slice may hold only the newest turn
                if whole and _root_name(comp.for_in.iter, self.index) == history and type(comp.elt) is cst.Name and comp.elt.value in bound:
                    views |= {key for t in node.targets if (key := target_key(t.target)) is not None}
            elif type(node) is cst.For and type(node.iter) is not cst.Subscript and _root_name(iterated(node.iter), self.index) == history:
                bound = set(names_in(node.target))
                for inner in walk_scope(node.body):
                    if type(inner) is cst.For and _root_name(iterated(inner.iter), self.index) in bound:
                        bound |= names_in(inner.target)
                for inner in walk_scope(node.body):
                    if type(inner) is cst.Call and type(inner.func) is cst.Attribute and inner.func.attr.value == "append" and inner.args:
                        item = inner.args[0].value
                        parts = [e.value for e in item.elements] if type(item) is cst.Tuple else [item]
                        key = name_key(inner.func.value)
                        if key is not None and any(type(p) is cst.Name and p.value in bound for p in parts):
                            views.add(key)
        for node in nodes:  # `to_clear = results[:-KEEP]`
            if type(node) is cst.Assign and type(node.value) is cst.Subscript and name_key(node.value.value) in views:
                views |= {key for t in node.targets if (key := target_key(t.target)) is not None}
        return views

    def _older_positions(self, node: cst.Assign, target: cst.BaseExpression, root: cst.CSTNode) -> bool:
        """`for i, j in positions[:-1]: history[i][...] = "[cleared]"`: the positions are all but the
        newest, so the same constant lands on another message every turn (a constant written at
        a fixed position is written once)."""
        indexes = {name for n in walk_scope(target) if type(n) is cst.Subscript for e in n.slice if type(e.slice) is cst.Index for name in names_in(e.slice.value)}
        return any(
            type(loop) is cst.For and self.index.inside(loop, root) and names_in(loop.target) & indexes and _drops_newest(loop.iter)
            for loop in self.index.loops_around(node)
        )

    def _earlier_message(self, target: cst.BaseExpression, history: str) -> bool:
        """`history[i][...]` with `i` not the newest (`-1`); a whole-element store counts only for deeper paths."""
        chain: list[cst.Subscript] = []
        node = target
        while type(node) in (cst.Subscript, cst.Attribute) and self.index.history_key(node) is None:
            if type(node) is cst.Subscript:
                chain.append(node)
            node = node.value
        if self.index.history_key(node) != history or not chain:
            return False
        first = chain[-1]
        slice_ = first.slice[0].slice if len(first.slice) == 1 else None
        if type(slice_) is not cst.Index:
            return False
        value = slice_.value
        if int_value(value) == -1 or "len(" in self.index.code(value):
            return False
        if _key_name(target) == "cache_control":
            return False  # moving a breakpoint marker does not change the cached bytes
        return True

    def _changed_in_loop(self, loop: cst.For, history: str) -> cst.CSTNode | None:
        if type(loop.iter) is cst.Call and type(loop.iter.func) is cst.Name and loop.iter.func.value == "reversed":
            if any(type(n) is cst.Break for n in walk_scope(loop.body)):
                return None  # finds and edits the newest matching message only
        derived = names_in(loop.target)
        for node in walk_scope(loop.body):
            if type(node) is cst.For and _root_name(node.iter, self.index) in derived:
                derived |= names_in(node.target)
        for node in walk_scope(loop.body):
            if type(node) is not cst.Assign:
                continue
            for target in node.targets:
                t = target.target
                if type(t) not in (cst.Subscript, cst.Attribute) or _key_name(t) == "cache_control" or _strips_markers(node.value):
                    continue
                root = _root_name(t, self.index)
                if root in derived or (root == history and type(t) is cst.Subscript and names_in(t.slice[0]) & derived):
                    return node
        return None

    def _fresh(self, turn: Turn, history: str) -> bool:
        """The history list is re-created inside the turn (so inserting into it does not accumulate)."""
        for node in walk_scope(turn.body):
            if type(node) is cst.Assign and any(self.index.history_key(t.target) == history for t in node.targets):
                if type(node.value) in (cst.List, cst.ListComp) and not mentions(self.index, node.value, history):
                    return True
        return False

    def _fresh_render(self, value: cst.BaseExpression, history: str, changing: set[str]) -> str | None:
        for node in walk_scope(value):
            if type(node) in (cst.ListComp, cst.GeneratorExp):
                comp = node.for_in
                if _root_name(comp.iter, self.index) != history or type(comp.iter) is cst.Subscript:
                    continue
                bound = names_in(comp.target)
                for inner in walk_scope(node.elt):
                    if type(inner) is cst.Call and self.index.is_volatile_call(inner):
                        return self.index.short(inner)
                moving = (names_in(node.elt) - bound) & changing
                if moving:
                    return sorted(moving)[0]
        return None

    def _fresh_render_loop(self, loop: cst.For, sent: set[str], changing: set[str]) -> str | None:
        """`for kind, text in events: messages.append(render(..., step))`: each record rendered into
        the sent list with a value that changes per turn."""
        bound = names_in(loop.target)
        for node in walk_scope(loop.body):
            # Names made from the record alone (`role = "assistant" if kind == "thought" else "user"`).
            if type(node) is cst.Assign and not (names_in(node.value) - bound) & changing:
                bound |= {name for t in node.targets for name in names_in(t.target)}
        for node in walk_scope(loop.body):
            if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in ("append", "extend") and name_key(node.func.value) in sent:
                for inner in walk_scope(node):
                    if type(inner) is cst.Call and self.index.is_volatile_call(inner):
                        return self.index.short(inner)
                moving = (names_in(node) - bound - {name_key(node.func.value)}) & changing
                if moving:
                    return sorted(moving)[0]
        return None

    # CL503 ------------------------------------------------------------
    def check_tools(self, turn: Turn, changing: set[str]) -> None:
        request = turn.request
        expr = self.index.tools_expr(request) if request.provider != "openai" or request.arg("tools") is not None else None
        expr = request.arg("tools") if expr is None else expr
        if expr is None:
            return
        if type(expr) is cst.IfExp and names_in(expr.test) & changing:
            self._tools_change(turn, expr, f"`{self.index.short(expr)}` picks the tool list per turn")
            return
        key = name_key(expr)
        if key is None:
            # `tools=select_tools(user)`, written in the call itself.
            why = self._tools_value_reason(expr, changing)
            if why is not None:
                self._tools_change(turn, expr, why)
            return
        fresh = False
        for node in walk_scope(turn.body):
            if type(node) is cst.Assign and any(target_key(t.target) == key for t in node.targets):
                why = self._tool_choice_reason(node, turn, changing)
                if why is not None:
                    self._tools_change(turn, node, why)
                    return
                fresh = True
            elif type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in TOOL_MUTATORS and name_key(node.func.value) == key:
                if not fresh or self._conditional(node, turn, changing):
                    self._tools_change(turn, node, f"`{self.index.short(node)}` changes the tool list inside the conversation loop")
                    return
            elif type(node) is cst.AugAssign and target_key(node.target) == key:
                if not fresh or self._conditional(node, turn, changing):
                    self._tools_change(turn, node, f"`{self.index.short(node)}` adds tools inside the conversation loop")
                    return

    def _tool_choice_reason(self, node: cst.Assign, turn: Turn, changing: set[str]) -> str | None:
        if self._conditional(node, turn, changing):
            return "the tool list is assigned under a condition on per-turn state"
        return self._tools_value_reason(node.value, changing)

    def _tools_value_reason(self, value: cst.BaseExpression, changing: set[str]) -> str | None:
        if type(value) is cst.IfExp and names_in(value.test) & changing:
            return f"`{self.index.short(value)}` picks the tool list per turn"
        for inner in walk_scope(value):
            if type(inner) in (cst.ListComp, cst.GeneratorExp):
                bound = set()
                comp = inner.for_in
                bound |= names_in(comp.target)
                if any(names_in(cond.test) - bound & changing for cond in comp.ifs):
                    return "the tool list is filtered by per-turn state"
            if type(inner) is cst.Call and SELECTORS.search(self.index.code(inner.func)) and any(names_in(a.value) & changing for a in inner.args):
                return f"`{self.index.short(inner)}` selects tools from per-turn input"
        return None

    def _conditional(self, node: cst.CSTNode, turn: Turn, changing: set[str]) -> bool:
        return any(names_in(test) & changing for test in self.index.conditions_between(node, turn.scope))

    def _tools_change(self, turn: Turn, node: cst.CSTNode, why: str) -> None:
        self.report(
            "CL503",
            node,
            f"The tool set changes between turns of one conversation: {why}. Tools come first in the cached prefix, so each "
            "change invalidates tools, system and every message: the whole conversation is re-written at 1.25x; keep one tool "
            "set per session (or use tool search / `defer_loading`) and refuse unavailable tools in the tool result",
            "tools",
            turn,
        )

    # CL504 ------------------------------------------------------------
    def check_params(self, turn: Turn, changing: set[str]) -> None:
        for param in DRIFT_PARAMS:
            expr = turn.request.arg(param)
            if expr is None:
                continue
            node = self._drift(expr, turn, changing)
            if node is not None:
                segment = "system" if param == "speed" else "messages"
                self.report(
                    "CL504",
                    node,
                    f"`{param}` changes between turns of one conversation (`{self.index.short(node)}`): {param} keys the "
                    "messages cache, so every change re-writes the whole conversation history at 1.25x instead of reading it at "
                    f"0.1x; keep `{param}` constant for the conversation (or use a few fixed values chosen once)",
                    segment,
                    turn,
                )

    def _drift(self, expr: cst.BaseExpression, turn: Turn, changing: set[str]) -> cst.CSTNode | None:
        """The statement that makes a parameter's value differ between turns, if any."""
        if not self.index.inside(expr, turn.scope):
            return None  # evaluated once, before the turns (a bound `functools.partial`)
        if type(expr) is cst.IfExp and names_in(expr.test) & changing:
            return expr
        for name in sorted(names_in(expr)):
            bindings = [n for n in walk_scope(turn.body) if type(n) in (cst.Assign, cst.AugAssign) and any(target_key(t) == name for t in targets_of(n))]
            outside = self.index.scope(turn.request.call).assigns.get(name, [])
            for binding in bindings:
                value = binding.value if type(binding) is cst.Assign else None
                if (value is not None and per_conversation(self.index, value, turn.body)) or self._first_turn_only(binding, name, turn):
                    continue
                if self._conditional(binding, turn, changing):
                    return binding
                if value is not None and (names_in(value) & changing - {name} or type(value) is cst.IfExp and names_in(value.test) & changing):
                    return binding
                if value is not None and any(v is not None and v is not value and self.index.code(v) != self.index.code(value) and not self.index.inside(n, turn.scope) for n, v in outside):
                    return binding
            if type(turn.scope) is cst.For and name in names_in(turn.scope.target):
                return expr
        return None

    # CL505 ------------------------------------------------------------
    def check_model(self, turn: Turn, changing: set[str]) -> None:
        for param in MODEL_PARAMS:
            expr = turn.request.arg(param)
            if expr is None:
                continue
            node, why = self._model_switch(expr, turn, changing)
            if node is not None:
                self.report(
                    "CL505",
                    node,
                    f"The model changes between turns of one conversation ({why}): each model has its own cache, so every switch "
                    "re-writes tools, system and the whole history at 1.25x; pin the model per conversation, fall back stickily "
                    "(switch once and stay), or hand the step to a sub-agent with its own history",
                    "params",
                    turn,
                )
                return

    def _model_switch(self, expr: cst.BaseExpression, turn: Turn, changing: set[str]) -> tuple[cst.CSTNode | None, str]:
        if not self.index.inside(expr, turn.scope):
            return None, ""  # evaluated once, before the turns (`send = partial(create, model=random.choice(ARMS))`)
        if type(expr) is cst.IfExp and names_in(expr.test) & changing:
            return expr, f"`{self.index.short(expr)}`"
        if self._random(expr):
            return expr, "a random choice per call"
        key = name_key(expr)
        if key is None:
            # `model=pick_model(user)`, `model=MODELS[step % 2]`, written in the call itself.
            if type(expr) in (cst.Call, cst.Subscript) and names_in(expr) & changing and not self.index.is_constant(expr) and not per_conversation(self.index, expr, turn.body):
                return expr, f"`{self.index.short(expr)}` is chosen from per-turn state"
            return None, ""
        for loop in self.index.loops_around(turn.request.call):
            if loop is turn.scope:
                break
            if type(loop) is cst.For and key in names_in(loop.target):
                return loop, f"a fallback loop over `{self.index.short(loop.iter)}` that starts again from the first model every turn"
        for node in walk_scope(turn.body):
            if type(node) is cst.Assign and any(target_key(t.target) == key for t in node.targets):
                value = node.value
                if per_conversation(self.index, value, turn.body) or self._first_turn_only(node, key, turn):
                    continue
                if self._random(value):
                    return node, "a random choice per call"
                if type(value) is cst.IfExp and names_in(value.test) & changing:
                    return node, f"`{self.index.short(value)}`"
                if self._conditional(node, turn, changing) and not key.startswith("self."):
                    return node, "assigned under a condition on per-turn state"
                if names_in(value) & changing - {key} and not self.index.is_constant(value):
                    return node, f"`{self.index.short(value)}` is chosen from per-turn state"
        return None, ""

    def _first_turn_only(self, node: cst.CSTNode, key: str, turn: Turn) -> bool:
        """Assigned only while `key` is still unset (`if model is None: model = route(text)`): chosen
        once, unless the turn unsets it again (`model = None` at its top)."""
        tests = self.index.conditions_between(node, turn.scope)
        # `if self.model is None: self.model = pick(); thinking = {...}`: a block that sets a name it tests runs once.
        lazy = {target_key(t.target) for g in self.index.ancestors(node) if type(g) is cst.If and self.index.inside(g, turn.scope) for n in walk_scope(g.body) if type(n) is cst.Assign for t in n.targets}
        if not tests or not all(_tests_unset(test, key) or any(_tests_unset(test, name) for name in lazy if name) for test in tests):
            return False
        return not any(
            type(n) is cst.Assign and type(n.value) is cst.Name and n.value.value == "None" and any(target_key(t.target) == key for t in n.targets)
            for n in walk_scope(turn.body)
        )

    def _random(self, expr: cst.BaseExpression) -> bool:
        for node in walk_scope(expr):
            if type(node) is cst.Call and (self.index.qualname(node.func) or "").startswith(("random.", "secrets.")):
                return True
        return False

    # CL506 ------------------------------------------------------------
    def check_cache_key(self, request: Request) -> None:
        if request.provider != "openai":
            return
        found = self.index.option(request, "prompt_cache_key")
        if found is None:
            return
        node = self._unstable_key(found[1], request)
        if node is not None:
            self.report(
                "CL506",
                node,
                f"The OpenAI `prompt_cache_key` comes from a per-request value (`{self.index.short(node)}`): requests are routed "
                "by prefix and key, so a new key per request scatters them across machines and cache hits become rare; use a "
                "key that is stable per conversation, tenant or prompt template",
                "params",
                request,
            )

    def _unstable_key(self, expr: cst.BaseExpression, request: Request, depth: int = 0) -> cst.CSTNode | None:
        for node in walk_scope(expr):
            if type(node) is cst.Call and self.index.is_volatile_call(node):
                return node
            if type(node) is cst.Call and depth < 3:
                # `new_id()` returning `str(uuid.uuid4())`: what the module's own helper returns.
                if any(self._unstable_key(value, request, depth + 1) is not None for value in returned(self.index.module, node)):
                    return node
            if type(node) is cst.Name and REQUEST_ID.match(node.value):
                return node
            if type(node) is cst.Attribute and REQUEST_ID.match(node.attr.value):
                return node
            if type(node) is cst.Subscript and REQUEST_HEADER.match(str(_key_name(node))):
                return node  # `request.headers["x-request-id"]`
            if type(node) is cst.Name and depth < 3:
                value = self.index.definition(node.value, node)
                if value is None or not self._same_turn(value, request.call):
                    continue
                found = self._unstable_key(value, request, depth + 1)
                if found is not None:
                    return found
        return None

    def _same_turn(self, value: cst.CSTNode, call: cst.Call) -> bool:
        """An assignment made for each request: in the same function, and inside the call's innermost loop if any."""
        if self.index.function_of(value) is not self.index.function_of(call) or self.index.function_of(call) is None:
            return False
        loops = self.index.loops_around(call)
        return not loops or self.index.inside(value, loops[0])

    # CL507 ------------------------------------------------------------
    def check_images(self, turn: Turn, changing: set[str]) -> None:
        for node in walk_scope(turn.body):
            if type(node) is cst.Dict:
                element = dict_element(node, "detail")
                if element is not None and (type(element.value) is cst.IfExp and names_in(element.value.test) & changing):
                    self._images(turn, element, "the image `detail` level is chosen per turn")
            if type(node) in (cst.For, cst.ListComp, cst.GeneratorExp):
                iterable = node.iter if type(node) is cst.For else node.for_in.iter
                source = _root_name(iterable, self.index)
                if source is None or type(iterable) is cst.Subscript or not (grows(self.index, turn.body, source) or source == turn.history):
                    continue
                body = node.body if type(node) is cst.For else node.elt
                for inner in walk_scope(body):
                    if type(inner) is cst.Call and type(inner.func) in (cst.Attribute, cst.Name):
                        name = inner.func.attr.value if type(inner.func) is cst.Attribute else inner.func.value
                        if name in IMAGE_ENCODERS or name in self.encoders():
                            self._images(turn, self.index.statement_of(node) if type(node) in (cst.ListComp, cst.GeneratorExp) else node, f"every image of `{source}` is re-encoded (`{name}`) on every turn")
                            break

    def encoders(self) -> set[str]:
        """Module functions that encode an image (their body saves or base64-encodes)."""
        if self._encoders is None:
            self._encoders = set()
            for function in walk(self.index.module):
                if type(function) is cst.FunctionDef and any(
                    type(n) is cst.Call and type(n.func) is cst.Attribute and n.func.attr.value in ("b64encode", "save") for n in walk_scope(function.body)
                ):
                    self._encoders.add(function.name.value)
        return self._encoders

    def _images(self, turn: Turn, node: cst.CSTNode, why: str) -> None:
        self.report(
            "CL507",
            node,
            f"Images in the history are rebuilt each turn: {why}. Any byte difference (encoder settings, resizing, metadata, "
            "`detail`) changes the prefix from that image on, so the rest of the conversation is re-written at 1.25x; encode each "
            "image once, store the bytes in the history, and keep `detail` constant",
            "messages",
            turn,
        )


# ---------------------------------------------------------------------- helpers

def _root_name(node: cst.BaseExpression, index: ModuleIndex) -> str | None:
    while True:
        key = index.history_key(node)
        if key is not None:
            return key
        if type(node) in (cst.Subscript, cst.Attribute):
            node = node.value
        elif type(node) is cst.Call and type(node.func) is cst.Name and node.func.value in ("enumerate", "reversed", "list", "zip") and node.args:
            node = node.args[0].value
        elif type(node) is cst.Call and type(node.func) is cst.Attribute:
            node = node.func.value
        else:
            return None


def _default_factory(value: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """`deque(maxlen=N)` in `defaultdict(lambda: deque(maxlen=N))` (or `partial(deque, maxlen=N)`,
    as a call of `deque` with the partial's arguments)."""
    if type(value) is not cst.Call or not value.args or last_name(value.func) != "defaultdict":
        return None
    factory = value.args[0].value
    if type(factory) is cst.Lambda:
        return factory.body
    if type(factory) is cst.Call and last_name(factory.func) == "partial" and factory.args:
        return factory.with_changes(func=factory.args[0].value, args=factory.args[1:])
    return None


def _fixed_or_newest(index: ModuleIndex, window: tuple[cst.BaseExpression | None, int | None]) -> bool:
    """A sent slice that is no sliding window: `h[1:]` leaves out the same first entries every turn
    (a stored system message), `h[-1:]` sends only the newest message, which nothing re-sends."""
    kept, dropped = window
    if dropped is not None:
        return True
    size = index.evaluate(kept) if kept is not None else None
    return isinstance(size, int) and not isinstance(size, bool) and size <= 1


def _tests_unset(test: cst.BaseExpression, key: str) -> bool:
    """`key is None`, `key == None` or `not key`."""
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return name_key(test.expression) == key
    if type(test) is cst.Comparison and len(test.comparisons) == 1 and name_key(test.left) == key:
        comparison = test.comparisons[0]
        return type(comparison.operator) in (cst.Is, cst.Equal) and type(comparison.comparator) is cst.Name and comparison.comparator.value == "None"
    return False


def _set_up(cls: cst.ClassDef, key: str) -> bool:
    """`key` (`self.messages`) is assigned in the class's `__init__`: an attribute of every object."""
    for method in block(cls.body):
        if type(method) is cst.FunctionDef and method.name.value in INITIALIZERS:
            for node in walk_scope(method.body):
                if type(node) in (cst.Assign, cst.AnnAssign):
                    targets = [e.value for t in targets_of(node) for e in (t.elements if type(t) is cst.Tuple else [cst.Element(t)])]
                    if key in [target_key(t) for t in targets]:
                        return True
    return False


def _tail_only(iterable: cst.BaseExpression) -> bool:
    """`items[-2:]`: only the newest entries, which no earlier request has cached yet."""
    if type(iterable) is not cst.Subscript or len(iterable.slice) != 1 or type(iterable.slice[0].slice) is not cst.Slice:
        return False
    bounds = iterable.slice[0].slice
    lower = int_value(bounds.lower) if bounds.lower is not None else None
    return lower is not None and lower < 0 and bounds.upper is None


def _drops_newest(iterable: cst.BaseExpression) -> bool:
    """`items[:-1]`, `items[:-KEEP]`, `enumerate(items[:-1])`: all but the newest entries."""
    if type(iterable) is cst.Call and type(iterable.func) is cst.Name and iterable.func.value in ("enumerate", "reversed", "list") and iterable.args:
        iterable = iterable.args[0].value
    if type(iterable) is not cst.Subscript or len(iterable.slice) != 1 or type(iterable.slice[0].slice) is not cst.Slice:
        return False
    bounds = iterable.slice[0].slice
    upper = bounds.upper
    return bounds.lower is None and bounds.step is None and type(upper) is cst.UnaryOperation and type(upper.operator) is cst.Minus


def _strips_markers(value: cst.BaseExpression) -> bool:
    """`[b for b in content if "cachePoint" not in b]`, `{k: v for k, v in b.items() if k !=
    "cache_control"}`: the old messages lose only their breakpoint markers, which are not part of
    the cached bytes (moving the breakpoint to the newest message is the recommended pattern)."""
    for node in walk(value):
        if type(node) in (cst.ListComp, cst.DictComp, cst.GeneratorExp):
            for clause in comp_clauses(node.for_in):
                if any(string_value(test) in CACHE_MARKERS for cond in clause.ifs for test in walk(cond.test) if type(test) is cst.SimpleString):
                    return True
    return False


def _key_name(target: cst.BaseExpression) -> str | None:
    if type(target) is cst.Subscript:
        slice_ = target.slice[0].slice if len(target.slice) == 1 else None
        if type(slice_) is cst.Index and type(slice_.value) is cst.SimpleString:
            value = string_value(slice_.value)
            return value if isinstance(value, str) else None
    if type(target) is cst.Attribute:
        return target.attr.value
    return None


def _front_slice(index: ModuleIndex, expr: cst.CSTNode, history: str) -> tuple[cst.BaseExpression | None, int | None] | None:
    """(kept count, dropped count) of a slice of `history` that drops its oldest messages, found anywhere in `expr`."""
    for node in walk_scope(expr):
        if type(node) is not cst.Subscript or len(node.slice) != 1 or index.history_key(node.value) != history:
            continue
        s = node.slice[0].slice
        if type(s) is not cst.Slice or s.lower is None or s.upper is not None or s.step is not None:
            continue
        lower = int_value(s.lower)
        if lower is not None:
            if lower < 0:
                return cst.Integer(str(-lower)), None
            if lower > 0:
                return None, lower
            continue
        if type(s.lower) is cst.UnaryOperation and type(s.lower.operator) is cst.Minus:
            return s.lower.expression, None
        if type(s.lower) is cst.BinaryOperation and type(s.lower.operator) is cst.Subtract and "len(" in _code(s.lower.left):
            return s.lower.right, None
        return None, None
    return None


def _whole(target: cst.BaseExpression) -> cst.BaseExpression:
    """`history` for `history[:]` (the list itself, assigned in place)."""
    if type(target) is cst.Subscript and len(target.slice) == 1:
        bounds = target.slice[0].slice
        if type(bounds) is cst.Slice and bounds.lower is None and bounds.upper is None and bounds.step is None:
            return target.value
    return target


def _deleted_front(index: ModuleIndex, node: cst.Del, history: str) -> tuple[cst.BaseExpression | None, int | None] | None:
    """`del history[0]`, `del history[:k]`, `del history[1:k]`, `del history[i]` for the first
    message a loop finds: (kept, dropped) like `_front_slice`."""
    target = node.target
    if type(target) is not cst.Subscript or len(target.slice) != 1 or index.history_key(target.value) != history:
        return None
    s = target.slice[0].slice
    if type(s) is cst.Index:
        return (None, 1) if int_value(s.value) in (0, 1) or _searched_oldest(index, node, s.value, history) else None
    if type(s) is cst.Slice and s.upper is not None:
        lower = int_value(s.lower) if s.lower is not None else 0
        upper = int_value(s.upper)
        if lower not in (0, 1):
            return None
        if upper is not None and upper < 0:
            return cst.Integer(str(-upper)), None  # `del history[:-40]` keeps the newest 40
        if upper is not None:
            return None, max(upper - lower, 0)
        if type(s.upper) is cst.BinaryOperation and type(s.upper.operator) is cst.Subtract and "len(" in _code(s.upper.left):
            return s.upper.right, None
        if type(s.upper) is cst.UnaryOperation and type(s.upper.operator) is cst.Minus:
            return s.upper.expression, None
        return None, None
    return None


def _searched_oldest(index: ModuleIndex, node: cst.CSTNode, position: cst.BaseExpression, history: str) -> bool:
    """`position` is the index of the first message a loop over `history` finds, from the oldest:
    `for i, m in enumerate(history): if m["role"] != "system": del history[i]; break`."""
    loops = index.loops_around(node)
    loop = loops[0] if loops else None
    if type(position) is not cst.Name or type(loop) is not cst.For:
        return False
    walked = loop.iter
    if not (type(walked) is cst.Call and type(walked.func) is cst.Name and walked.func.value == "enumerate" and walked.args):
        return False
    counter = loop.target.elements[0].value if type(loop.target) is cst.Tuple and loop.target.elements else None
    if type(counter) is not cst.Name or counter.value != position.value or index.history_key(walked.args[0].value) != history:
        return False
    # The loop stops at the first deletion: a `break` of this loop (not of one nested in it).
    return any(type(n) is cst.Break and index.loops_around(n)[0] is loop for n in walk_scope(loop.body))


def _front_cut(index: ModuleIndex, node: cst.CSTNode, history: str) -> tuple[cst.BaseExpression | None, int | None] | None:
    """(kept, dropped) of `history = history[-N:]` or `del history[:N]`, else None."""
    if type(node) is cst.Assign and any(index.history_key(_whole(t.target)) == history for t in node.targets):
        helped = through_helper(index, node.value) if type(node.value) is cst.Call else None
        if helped is not None and index.history_key(helped[0]) == history:
            helper = index.function_of(helped[1])
            if helper is not None and any(type(n) is cst.If and _compares_length(n.test) for n in walk_scope(helper.body)):
                return None  # `compact(h)` that cuts only past its own bound: judged where it is written
            return _front_slice(index, helped[1].with_changes(value=helped[0]), history)  # `history = trim(history)`
        return _front_slice(index, node.value, history)
    if type(node) is cst.Del:
        return _deleted_front(index, node, history)
    return None


def _compares_length(test: cst.BaseExpression) -> bool:
    """A comparison of a `len(...)` (or a token count) with a bound."""
    return type(test) is cst.Comparison and any(type(n) is cst.Call for n in (test.left, *(c.comparator for c in test.comparisons)))


def _conjuncts(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The parts of `a and b and c`."""
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.And:
        return _conjuncts(test.left) + _conjuncts(test.right)
    return [test]


def _size_bound(index: ModuleIndex, test: cst.BaseExpression, history: str) -> tuple[str, cst.BaseExpression] | None:
    """(the measure, `B`) for `measure(history) > B`: its length or a token count of it."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1 or type(test.comparisons[0].operator) not in (cst.GreaterThan, cst.GreaterThanEqual):
        return None
    left = test.left
    if type(left) is cst.Call and left.args and index.history_key(left.args[0].value) == history:
        return index.code(left.func), test.comparisons[0].comparator
    return None


def _length_bound(index: ModuleIndex, test: cst.BaseExpression, history: str) -> cst.BaseExpression | None:
    """`B` in `len(history) > B` (or `B < len(history)`)."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    left, right = test.left, target.comparator

    def is_len(node: cst.BaseExpression) -> bool:
        return type(node) is cst.Call and type(node.func) is cst.Name and node.func.value == "len" and bool(node.args) and index.history_key(node.args[0].value) == history

    if type(target.operator) in (cst.GreaterThan, cst.GreaterThanEqual) and is_len(left):
        return right
    if type(target.operator) in (cst.LessThan, cst.LessThanEqual) and is_len(right):
        return left
    return None


def _maps_over(index: ModuleIndex, value: cst.BaseExpression, history: str) -> bool:
    """`[f(m) for m in history]`: every message transformed (a filter `[m for m in h if ...]` is not)."""
    if type(value) is not cst.ListComp or _root_name(value.for_in.iter, index) != history:
        return False
    return not (type(value.elt) is cst.Name and value.elt.value in names_in(value.for_in.target))


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
