"""CL4xx: where cache breakpoints sit in a request, and whether they can do anything.

Works on the literal shape of each request: the `cache_control` keys and Bedrock `cachePoint`
elements that can be seen in `tools`, `system` and `messages` (following names to the list or
dict literal they were assigned), plus the top-level automatic `cache_control=`. Provider limits
(breakpoints per request, minimum cacheable tokens, TTLs, prices) come from `rules/providers.yaml`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import libcst as cst

from cachelint.catalogue import Rule
from cachelint.checks.astutil import (
    MUTATORS,
    UNKNOWN,
    ModuleIndex,
    Request,
    dict_element,
    dict_keys,
    dict_value,
    estimate_tokens,
    int_value,
    name_key,
    walk_scope,
)
from cachelint.checks.findings import diagnostic, sink_related
from cachelint.checks.turns import Turn, find_turn
from cachelint.diagnostics import Diagnostic, Location, Related
from cachelint.engine.nodes import INITIALIZERS, SCOPES, string_value, walk
from cachelint.providers import ModelFacts, ProviderFacts, load_provider_facts
from cachelint.switches import load_switches

SEGMENT_ORDER = ("tools", "system", "messages")
UNCACHEABLE_TYPES = ("thinking", "redacted_thinking")
HANDLER_DECORATORS = ("route", "get", "post", "put", "patch", "delete", "websocket", "api_route", "message", "event", "command")
MODEL_KEYWORDS = ("model", "model_id", "modelId")
OPENAI_MARKER = "prompt_cache_breakpoint"
# Web frameworks' request objects, read as module globals: per request like a handler's parameter.
REQUEST_GLOBALS = frozenset({"flask.request", "quart.request", "bottle.request", "sanic.request"})
OPENAI_TOOL_KEYS = ("parameters", "function", "input_schema")
# Clock granularities whose value outlives the five-minute TTL many times over: the calls of that
# hour or day share the prefix, so a breakpoint on it is read, not written by every call.
RARE_CLOCKS = frozenset({"hour", "day", "week", "month", "year"})
# LangChain chat model classes that reach a provider with explicit breakpoints, and the class that
# `init_chat_model` / `create_agent` build for a "provider:model" string.
CHAT_MODELS = ("ChatAnthropic", "ChatAnthropicVertex", "ChatBedrock", "ChatBedrockConverse")
CHAT_MODEL_PREFIXES = {"anthropic": "ChatAnthropic", "google_anthropic_vertex": "ChatAnthropicVertex", "bedrock": "ChatBedrock", "bedrock_converse": "ChatBedrockConverse"}
MODEL_FACTORIES = ("init_chat_model", "create_agent", "create_react_agent")


@dataclass(frozen=True)
class Middleware:
    """What a LangChain caching middleware handles; for anything else it adds no breakpoints."""

    provider: str  # the rules/providers.yaml provider of its models
    classes: tuple[str, ...]  # chat model classes it accepts
    model_ids: tuple[str, ...]  # model-id substrings it accepts (empty: any)
    accepted: str  # the same, in words


# From langchain_anthropic/middleware/prompt_caching.py and langchain_aws/middleware/prompt_caching.py
# (`_should_apply_caching`): an unsupported model is skipped with a warning, or silently with
# unsupported_model_behavior="ignore".
MIDDLEWARES = {
    "AnthropicPromptCachingMiddleware": Middleware("anthropic", ("ChatAnthropic",), (), "only `ChatAnthropic` models"),
    "BedrockPromptCachingMiddleware": Middleware(
        "bedrock", ("ChatBedrock", "ChatBedrockConverse"), ("anthropic", "amazon.nova"), "only Claude and Nova models on `ChatBedrock`/`ChatBedrockConverse`"
    ),
}


@dataclass
class Breakpoint:
    """One visible cache breakpoint of a request, in tools -> system -> messages order."""

    segment: str
    kind: str  # block | cachepoint | top-level | message-level | system-dict
    marker: cst.CSTNode  # where it is written (reported here)
    setting: cst.BaseExpression | None  # the `{"type": "ephemeral", "ttl": ...}` value
    block: cst.BaseExpression | None  # the content block whose end it marks
    last_message: bool = False
    ttl: str | None = None  # "5m", "1h", None for the default (5m), "?" when computed
    last_block: bool = True  # no content block follows it in its list


@dataclass
class Layout:
    breakpoints: list[Breakpoint]
    complete: dict[str, bool]  # per segment: every element is a visible literal
    messages_literal: bool  # `messages=` is a literal list with no spliced history


def breakpoint_diagnostics(
    index: ModuleIndex, rules: dict[str, Rule], filename: str, providers: ProviderFacts | None = None
) -> list[Diagnostic]:
    """Every CL4xx finding of one module (only the rules present in `rules` are run).

    `index` is the module's index shared with the CL5xx checks; `providers` defaults to the
    shipped `rules/providers.yaml`.
    """
    if not any(code.startswith("CL4") for code in rules):
        return []
    providers = providers or load_provider_facts()
    checker = _Checker(index, rules, filename, providers)
    for request in index.requests:
        checker.check_request(request)
    checker.check_dicts()
    checker.check_marked_by_type()
    checker.check_marking_loops()
    checker.check_configuration()
    return checker.out


class _Checker:
    def __init__(self, index: ModuleIndex, rules: dict[str, Rule], filename: str, providers: ProviderFacts) -> None:
        self.index = index
        self.rules = rules
        self.filename = filename
        self.providers = providers
        self.out: list[Diagnostic] = []
        self._seen: set[tuple[str, int]] = set()
        # Once per module, not per request: on a large module the scans added up to seconds.
        source = index.analysis.source
        self._marks_elsewhere = "cache_control" in source or "cachePoint" in source or "cache_point" in source
        self._sets_openai_marker = OPENAI_MARKER in source

    def report(self, code: str, node: cst.CSTNode, message: str, segment: str | None, related: tuple[Related, ...] = (), severity: str | None = None) -> None:
        rule = self.rules.get(code)
        line = self.index.line(node)
        if rule is None or (code, line) in self._seen:
            return
        self._seen.add((code, line))
        self.out.append(diagnostic(rule, self.index, node, message, self.filename, segment, related, severity))

    # ------------------------------------------------------------------ per request
    def check_request(self, request: Request) -> None:
        model = self.index.model_name(request)
        if request.provider == "openai":
            self.check_openai_options(request, model, self.providers.lookup("openai", model) if model is not None else None)
            return
        facts = self.providers.lookup(request.provider, model)
        if facts is not None and facts.marker_blocks:
            # An OpenAI model served by Bedrock: OpenAI's markers and options apply, not `cachePoint` or `cache_control`.
            self.check_openai_options(request, model, facts)
            return
        layout = request_layout(self.index, request)
        related = sink_related(self.index, request, self.filename)
        self.check_count(request, layout, facts, related)
        self.check_ttl_order(layout, related)
        self.check_volatile_breakpoint(request, layout, related)
        self.check_below_minimum(request, layout, model, facts, related)
        self.check_missing(request, layout, model, facts)
        self.check_request_shape(request, layout, model, facts, related)
        self.check_moving_long_ttl(request, layout, related)

    # CL402 ------------------------------------------------------------
    def check_count(self, request: Request, layout: Layout, facts: ModelFacts | None, related: tuple[Related, ...]) -> None:
        limit = facts.max_breakpoints if facts is not None else 4
        counted = [bp for bp in layout.breakpoints if bp.kind in ("block", "cachepoint", "top-level")]
        if limit == 0 or len(counted) <= limit:
            return
        marks = tuple(Related(self.filename, Location(*self.index.span(bp.marker)[:2]), f"breakpoint {i + 1} ({bp.segment})") for i, bp in enumerate(counted))
        self.report(
            "CL402",
            request.call,
            f"{len(counted)} cache breakpoints in one request to `{self.index.analysis.call_text(request.call)}`, "
            f"more than the {limit} the provider accepts ({_where(facts)}): the API rejects the request with HTTP 400; "
            "keep at most 4: one on the last tool or system block, the rest on the newest messages",
            counted[limit].segment,
            related + marks,
        )

    # CL403 ------------------------------------------------------------
    def check_ttl_order(self, layout: Layout, related: tuple[Related, ...]) -> None:
        shorter: Breakpoint | None = None
        for bp in layout.breakpoints:
            if bp.ttl in (None, "5m") and shorter is None:
                shorter = bp
            elif bp.ttl == "1h" and shorter is not None:
                where = "the top-level automatic breakpoint" if bp.kind == "top-level" else "this breakpoint"
                line, column, _, _ = self.index.span(shorter.marker)
                earlier = Related(self.filename, Location(line, column), f"the five-minute breakpoint it follows (`{shorter.segment}`)")
                self.report(
                    "CL403",
                    bp.marker,
                    f"A one-hour TTL on {where} (`{bp.segment}`) comes after a five-minute one "
                    f"(`{shorter.segment}`): the API rejects the request with HTTP 400 "
                    "(longer TTLs must come first in tools -> system -> messages order); put the 1h breakpoint on the earlier, stable block",
                    bp.segment,
                    (earlier, *related),
                )
                return

    # CL401 ------------------------------------------------------------
    def check_volatile_breakpoint(self, request: Request, layout: Layout, related: tuple[Related, ...]) -> None:
        if int_value(request.arg("max_tokens")) == 0:
            return  # a pre-warm call: it writes the entry on purpose, for the calls that follow
        explicit = [bp for bp in layout.breakpoints if bp.kind in ("block", "cachepoint")]
        if explicit:
            first = explicit[0]
            reason = self.per_request(first, layout, request)
            if reason is not None and self._rare_clocks_only(request, first.segment):
                # Calls within the hour or day share the prefix and read it; CL101 grades the value.
                reason = self.per_request(first, layout, request, sources=False)
            if reason is None:
                return
            cost = "1h write at 2x" if first.ttl == "1h" else "write at 1.25x"
            self.report(
                "CL401",
                first.marker,
                f"The first cache breakpoint of `{self.index.analysis.call_text(request.call)}` sits on a block that {reason} "
                f"(`{first.segment}`): every call pays the {cost} for a prefix no later call shares, and reads nothing, "
                "which costs more than no breakpoint; move the breakpoint to the last static block before it",
                first.segment,
                related,
            )
            return
        top = next((bp for bp in layout.breakpoints if bp.kind == "top-level"), None)
        if top is None or not layout.messages_literal or find_turn(self.index, request) is not None:
            return
        last = self._last_content(request)
        if last is None or self.index.is_constant(last):
            return
        reason = self.dynamic_reason(last)
        if reason is None:
            return
        self.report(
            "CL401",
            top.marker,
            f"Top-level automatic `cache_control` on a single-shot call to `{self.index.analysis.call_text(request.call)}` puts "
            f"the breakpoint on the last block, which {reason}: every call writes the whole prompt at 1.25x and no call reads it; "
            "mark the last static system block with `cache_control` instead",
            "messages",
            related,
        )

    def _rare_clocks_only(self, request: Request, segment: str) -> bool:
        """Every volatile value the dataflow saw reach `segment` of this request is a clock that
        changes at most once an hour (`%Y-%m-%d`, `date.today()`)."""
        span = self.index.span(request.call)
        facts = [h.fact for h in self.index.analysis.hits if h.site.span == span and not h.site.file and h.segment == segment and h.fact.rule.startswith("CL1")]
        return bool(facts) and all(f.rule == "CL101" and f.granularity in RARE_CLOCKS for f in facts)

    def per_request(self, bp: Breakpoint, layout: Layout, request: Request, sources: bool = True) -> str | None:
        content = _block_content(bp.block)
        function = self.index.function_of(content) if content is not None else None
        if function is None or function.name.value in INITIALIZERS:
            # A block built at import is the same for every request of the process, one built in
            # `__init__` for every request of the object's conversation (CL101 says so).
            return None
        if bp.segment == "messages":
            if not (bp.last_message and layout.messages_literal) or self.index.is_constant(content):
                return None
            # A parameter is per-request only on the last block of a call made once: a parameter block followed by
            # the question (`[document + breakpoint, question]`) is a deliberate split, and a call repeated in a loop
            # or comprehension re-sends the same parameter, so later calls read what the first wrote.
            return self.dynamic_reason(content, params=bp.last_block and not self._in_loop(request.call), sources=sources)
        reason = self.dynamic_reason(content, params=False, sources=sources)
        sent = request.arg("messages")
        # `WORKERS[worker]` beside `histories[worker]` (or `hist` taken from it): each value has its own
        # conversation, and its own cache entry that its next request reads.
        picked = [sent, *(v for _, v in self.index.scope(sent).assigns.get(sent.value, []))] if type(sent) is cst.Name else [sent]
        for value in picked:
            if reason is not None and type(value) is cst.Subscript and len(value.slice) == 1 and type(value.slice[0].slice) is cst.Index:
                key = value.slice[0].slice.value
                if type(key) is cst.Name and reason.endswith(f"loop variable `{key.value}`"):
                    return None
        return reason

    def _in_loop(self, call: cst.Call) -> bool:
        """The call runs several times inside its function: in a loop or a comprehension."""
        for a in self.index.ancestors(call):
            if type(a) in SCOPES:
                return False
            if type(a) in (cst.ListComp, cst.GeneratorExp, cst.SetComp, cst.DictComp):
                return True
        return bool(self.index.loops_around(call))

    def dynamic_reason(self, expr: cst.BaseExpression, params: bool = True, depth: int = 0, sources: bool = True) -> str | None:
        """Why an expression differs per request: a clock or id source (unless `sources` is off), a
        loop variable, a parameter."""
        for node in walk_scope(expr):
            if sources and type(node) is cst.Call and self.index.is_volatile_call(node):
                return f"holds `{self.index.short(node)}`"
            if type(node) is not cst.Name or depth > 3:
                continue
            if params and self.index.qualname(node) in REQUEST_GLOBALS:
                return f"holds the per-request `{node.value}` of {self.index.qualname(node).split('.')[0]}"
            scope = self.index.scope(node)
            bindings = scope.assigns.get(node.value, [])
            if any(type(b) is cst.For and self.index.inside(node, b) for b, _ in bindings):
                return f"changes with the loop variable `{node.value}`"
            if node.value in scope.params and node.value not in ("self", "cls"):
                if params:
                    return f"holds the per-request parameter `{node.value}`"
                continue
            value = self.index.definition(node.value, node)
            # A module constant (`TODAY = date.today()...`) is computed once per process, not per request.
            if value is not None and value is not expr and self.index.function_of(value) is not None:
                inner = self.dynamic_reason(value, params, depth + 1, sources)
                if inner is not None:
                    return inner
        return None

    def _last_content(self, request: Request) -> cst.BaseExpression | None:
        listed = self.index.elements(request.arg("messages"))
        if not listed or not listed[0]:
            return None
        message = self.index.resolve(listed[0][-1])
        content = dict_value(message, "content") if type(message) is cst.Dict else None
        blocks = self.index.elements(content) if content is not None else None
        if blocks is not None and blocks[0]:
            return _block_content(self.index.resolve(blocks[0][-1]))
        return content

    # CL404 ------------------------------------------------------------
    def check_below_minimum(self, request: Request, layout: Layout, model: str | None, facts: ModelFacts | None, related: tuple[Related, ...]) -> None:
        if model is None or facts is None or request.opaque or not layout.breakpoints:
            return
        for bp in layout.breakpoints:
            if bp.kind not in ("block", "cachepoint", "top-level"):
                continue
            tokens = prefix_tokens(self.index, request, bp)
            if tokens is None:
                return
            if tokens >= facts.min_tokens_low:
                return
            verb = "is below" if facts.known else "might be below"
            severity = "low" if request.provider == "bedrock" else None
            self.report(
                "CL404",
                bp.marker,
                f"The prefix up to this breakpoint is about {tokens} tokens (estimated from the literal text), which {verb} the "
                f"minimum of {facts.min_tokens_low} cacheable tokens for `{model}` ({_where(facts)}): the breakpoint silently "
                "caches nothing; enlarge the static prefix, drop the breakpoint, or accept it",
                bp.segment,
                related,
                severity,
            )
            return

    # CL405 ------------------------------------------------------------
    def check_missing(self, request: Request, layout: Layout, model: str | None, facts: ModelFacts | None) -> None:
        if layout.breakpoints or request.opaque or model is None or facts is None or not facts.known:
            return
        if self._marks_elsewhere:
            return  # breakpoints are added elsewhere in this module
        if not self.repeated(request.call):
            return
        tokens = 0
        for segment in ("tools", "system"):
            expr = self.index.tools_expr(request) if segment == "tools" else request.arg(segment)
            if expr is None:
                continue
            value = self.index.evaluate(expr)
            if value is UNKNOWN:
                return
            tokens += literal_tokens(value, structured=segment == "tools")
        if tokens < facts.min_tokens_high:
            return
        price = facts.price
        saved = price.per_token(1 - price.cache_read)
        money = (
            f"about ${tokens * saved:.4f} per call at `{model}`'s ${price.input:.2f}/MTok input price"
            if saved is not None and price.input is not None
            else f"{round((1 - price.cache_read) * 100)}% of their input cost per call (no price for `{model}` in rules/providers.yaml)"
        )
        where = "a breakpoint on the last system block" if request.provider == "anthropic" else "a `cachePoint` after the system text"
        self.report(
            "CL405",
            request.call,
            f"`{self.index.analysis.call_text(request.call)}` sends about {tokens} static tokens of tools and system prompt (estimated) "
            f"on every call, with no cache breakpoint: {where} would read them at {price.cache_read}x after the first call, "
            f"saving {money} ({_where(facts)})",
            "system" if request.arg("system") is not None else "tools",
            (),
        )

    def repeated(self, call: cst.Call) -> bool:
        """The call runs many times: in a loop, or in a web or bot request handler."""
        if self.index.loops_around(call):
            return True
        function = self.index.function_of(call)
        if function is None:
            return False
        for decorator in function.decorators:
            expr = decorator.decorator.func if type(decorator.decorator) is cst.Call else decorator.decorator
            if type(expr) is cst.Attribute and expr.attr.value in HANDLER_DECORATORS:
                return True
        return False

    # CL406 / CL407 on a request ------------------------------------------
    def check_request_shape(self, request: Request, layout: Layout, model: str | None, facts: ModelFacts | None, related: tuple[Related, ...]) -> None:
        converse = request.sink.id.startswith("bedrock converse")
        for bp in layout.breakpoints:
            if bp.kind == "message-level" and request.sink.id == "anthropic messages":
                self.report(
                    "CL406",
                    bp.marker,
                    "`cache_control` on a whole message is not accepted by the Messages API (HTTP 400: extra inputs are not permitted); "
                    "put it on the message's last content block (`content=[{\"type\": \"text\", \"text\": ..., \"cache_control\": ...}]`)",
                    "messages",
                    related,
                )
            elif bp.kind == "system-dict":
                self.report(
                    "CL406",
                    bp.marker,
                    "`system=` is a single dict with `cache_control`: `system` takes a string or a list of text blocks, so this "
                    "breakpoint is rejected; write `system=[{\"type\": \"text\", \"text\": ..., \"cache_control\": {\"type\": \"ephemeral\"}}]`",
                    "system",
                    related,
                )
            elif bp.kind == "block" and converse:
                self.report(
                    "CL407",
                    bp.marker,
                    "`cache_control` in a Bedrock Converse request: Converse only knows `{\"cachePoint\": {\"type\": \"default\"}}` "
                    "elements, so this is rejected or ignored and nothing is cached; add a `cachePoint` element after the block instead",
                    bp.segment,
                    related,
                )
            elif bp.kind == "cachepoint" and request.sink.id == "bedrock invoke_model" and request.arg("anthropic_version") is not None:
                self.report(
                    "CL407",
                    bp.marker,
                    "A `cachePoint` element in an Anthropic InvokeModel body: Claude bodies use the Messages format, where a "
                    "breakpoint is `\"cache_control\": {\"type\": \"ephemeral\"}` on a content block; this element is rejected",
                    bp.segment,
                    related,
                )
            elif bp.kind == "cachepoint" and request.provider == "bedrock":
                self._check_cachepoint(bp, model, facts, related)

    def _check_cachepoint(self, bp: Breakpoint, model: str | None, facts: ModelFacts | None, related: tuple[Related, ...]) -> None:
        if model is None or facts is None or not facts.known:
            return
        if bp.segment not in facts.cacheable_segments:
            self.report(
                "CL407",
                bp.marker,
                f"A `cachePoint` in `{bp.segment}` for `{model}`, which caches only {' and '.join(f'`{s}`' for s in facts.cacheable_segments)} "
                f"({_where(facts)}): the request is rejected (HTTP 400) and nothing is cached; put the checkpoint at the end of "
                f"`{facts.cacheable_segments[0]}` instead",
                bp.segment,
                related,
            )
        elif bp.ttl == "1h" and "1h" not in facts.ttls:
            self.report(
                "CL407",
                bp.marker,
                f"A one-hour `cachePoint` TTL for `{model}`, which supports only {', '.join(facts.ttls)} ({_where(facts)}): "
                "the checkpoint is rejected or caches nothing; drop `ttl` or use \"5m\"",
                bp.segment,
                related,
            )

    # CL408 ------------------------------------------------------------
    def check_openai_options(self, request: Request, model: str | None, facts: ModelFacts | None) -> None:
        related = sink_related(self.index, request, self.filename)
        options = self.index.option(request, "prompt_cache_options")
        retention = self.index.option(request, "prompt_cache_retention")
        if model is not None and facts is not None and facts.known and facts.max_breakpoints == 0:
            self._older_model(request, model, options, retention, facts, related)
            return
        for _, marker in self._openai_markers(request, ("instructions",)):
            self.report("CL408", marker, f"`{OPENAI_MARKER}` in `instructions`: {self._placement(facts)}", "system", related)
        settings = self.index.resolve(options[1]) if options is not None else None
        ttl = dict_element(settings, "ttl")
        if retention is not None and ttl is not None:
            self.report(
                "CL408",
                retention[0],
                "`prompt_cache_retention` together with `prompt_cache_options.ttl`: the API rejects the request (HTTP 400); "
                "keep only `prompt_cache_options` (retention is the mechanism of models before GPT-5.6)",
                "params",
                related,
            )
        written = self._openai_markers(request, ("input", "messages"))
        allowed = self._markable(facts)
        for block, marker in written:
            kind = self.index.evaluate(dict_value(block, "type"))
            if isinstance(kind, str) and kind not in allowed:
                self.report("CL408", marker, f"`{OPENAI_MARKER}` on an item of type `{kind}`: {self._placement(facts)}", "messages", related)
        ttls = [ttl, *(dict_element(self.index.resolve(m.value), "ttl") for _, m in written)]
        self._check_openai_ttls([t for t in ttls if t is not None], facts, related)
        mode = dict_element(settings, "mode")
        explicit = mode is not None and self.index.evaluate(mode.value) == "explicit"
        if mode is not None and explicit and not self._sets_openai_marker:
            self.report(
                "CL408",
                mode,
                f"`prompt_cache_options` mode \"explicit\" turns off the implicit breakpoint, and this module never sets "
                f"`{OPENAI_MARKER}`: nothing is cached, so every call pays the full input price for the stable prefix instead "
                f"of 0.1x; add `\"{OPENAI_MARKER}\": {{\"mode\": \"explicit\"}}` to the last `input_text` block of the stable "
                "developer/system message, or drop the mode",
                "params",
                related,
                "medium",
            )
        # Implicit mode keeps one of the writes for its own breakpoint on the newest message.
        limit = (facts.max_breakpoints if facts is not None and facts.max_breakpoints else 4) - (0 if explicit else 1)
        if len(written) > limit:
            self.report(
                "CL408",
                request.call,
                f"{len(written)} `{OPENAI_MARKER}` markers in one request to `{self.index.analysis.call_text(request.call)}`, but "
                f"only the latest {limit} are written ({'explicit' if explicit else 'implicit'} mode; {_where(facts)}): the "
                "earliest markers, usually the end of the stable developer/system prefix, never create a cache entry, so that "
                f"prefix is re-sent at full price; keep at most {limit}: one at the end of the stable prefix, the rest on the newest turns",
                "messages",
                related,
                "medium",
            )

    def _openai_markers(self, request: Request, segments: tuple[str, ...]) -> list[tuple[cst.Dict, cst.DictElement]]:
        """The visible blocks with a `prompt_cache_breakpoint` entry in these arguments of a request, and the entry."""
        found = []
        for segment in segments:
            for block in self.index.literal_dicts(request.arg(segment)):
                element = dict_element(block, OPENAI_MARKER)
                if element is not None:
                    found.append((block, element))
        return found

    def _markable(self, facts: ModelFacts | None) -> tuple[str, ...]:
        """Block types that may carry an OpenAI marker: the model's own list, else any OpenAI model's."""
        if facts is not None and facts.marker_blocks:
            return facts.marker_blocks
        return tuple(dict.fromkeys(t for e in self.providers.entries if e.provider == "openai" for t in e.marker_blocks))

    def _placement(self, facts: ModelFacts | None) -> str:
        """Where an OpenAI marker belongs, and what a misplaced one costs."""
        allowed = ", ".join(f"`{t}`" for t in self._markable(facts))
        if facts is not None and facts.provider == "bedrock":
            return (
                f"on Bedrock only {allowed} blocks carry it ({_where(facts)}), so the request is rejected or the marker caches "
                "nothing; put it on the last `input_text` block of the stable prefix instead"
            )
        return (
            f"only input content blocks ({allowed}) can carry it, so the API rejects the request (HTTP 400); put it on the last "
            "`input_text` block of the stable developer/system message instead"
        )

    def _check_openai_ttls(self, ttls: list[cst.DictElement], facts: ModelFacts | None, related: tuple[Related, ...]) -> None:
        if facts is None or not facts.known:
            # A model id that is not a literal: whatever any model with explicit breakpoints accepts.
            allowed = sorted({t for e in self.providers.entries if e.provider == "openai" and e.max_breakpoints for t in e.ttls})
        else:
            allowed = list(facts.ttls)
        for element in ttls:
            value = self.index.evaluate(element.value)
            if isinstance(value, str) and value not in allowed:
                self.report(
                    "CL408",
                    element,
                    f"OpenAI prompt-cache TTL {value!r} is not one the model accepts ({', '.join(repr(t) for t in allowed)}; "
                    f"{_where(facts)}), so the API rejects the request (HTTP 400); drop `ttl` to get the default",
                    "params",
                    related,
                )

    def _older_model(
        self,
        request: Request,
        model: str,
        options: tuple[cst.CSTNode, cst.BaseExpression] | None,
        retention: tuple[cst.CSTNode, cst.BaseExpression] | None,
        facts: ModelFacts,
        related: tuple[Related, ...],
    ) -> None:
        """Options that exist only from GPT-5.6 on, or a retention value the model lacks."""
        markers = self._openai_markers(request, ("tools", "instructions", "input", "messages"))
        node = options[0] if options is not None else markers[0][1] if markers else None
        if node is not None:
            what = "`prompt_cache_options`" if options is not None else f"`{OPENAI_MARKER}`"
            self.report(
                "CL408",
                node,
                f"{what} on `{model}`, a model before GPT-5.6 that takes no explicit cache options or breakpoints "
                f"({_where(facts)}): the API rejects the request (HTTP 400); drop it: this model caches any stable prefix of "
                "1024+ tokens automatically, and `prompt_cache_key`/`prompt_cache_retention` are its settings",
                "params",
                related,
            )
        value = self.index.evaluate(retention[1]) if retention is not None else None
        if retention is not None and isinstance(value, str) and value not in facts.ttls:
            self.report(
                "CL408",
                retention[0],
                f"`prompt_cache_retention={value!r}` on `{model}`, which supports only {', '.join(repr(t) for t in facts.ttls)} "
                f"({_where(facts)}): the API rejects the request (HTTP 400); use {facts.ttls[0]!r} or drop the parameter",
                "params",
                related,
            )

    # CL409 ------------------------------------------------------------
    def check_moving_long_ttl(self, request: Request, layout: Layout, related: tuple[Related, ...]) -> None:
        turn = find_turn(self.index, request)
        if turn is None:
            return
        for bp in layout.breakpoints:
            if bp.ttl == "1h" and (bp.kind == "top-level" or bp.segment == "messages" and bp.last_message):
                self._report_moving(bp.marker, related)
                return
        for node in walk_scope(turn.body):
            setting = self._tail_setting(node, turn)
            if setting is not None and setting_ttl(self.index, setting) == "1h":
                self._report_moving(node, related)
                return

    def _tail_setting(self, node: cst.CSTNode, turn: Turn) -> cst.BaseExpression | None:
        """A `cache_control` value put on the newest message of the history inside the turn."""
        if type(node) is cst.Assign:
            for target in node.targets:
                t = target.target
                if type(t) is cst.Subscript and _key_of(t) == "cache_control" and _root(t) in turn.sent and "-1" in self.index.code(t):
                    return node.value
        if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "append" and name_key(node.func.value) in turn.sent and node.args:
            message = self.index.resolve(node.args[0].value)
            for inner in walk_scope(message) if message is not None else ():
                element = dict_element(inner, "cache_control") if type(inner) is cst.Dict else None
                if element is not None:
                    return element.value
        return None

    def _report_moving(self, node: cst.CSTNode, related: tuple[Related, ...]) -> None:
        self.report(
            "CL409",
            node,
            "A one-hour TTL on the breakpoint at the tail of a conversation that grows every turn: each turn writes a new entry "
            "at 2x (instead of 1.25x) that the next turn already replaces, since turns come far more often than every 5 minutes; "
            "use the default 5-minute TTL on the moving tail and keep \"1h\" for the stable tools/system breakpoint",
            "messages",
            related,
        )

    # ------------------------------------------------------------------ module-wide shapes
    def check_dicts(self) -> None:
        """CL406, CL407 and CL408 on block literals, wherever they are built."""
        for node in self.index.dicts:
            keys = dict_keys(node)
            if keys == {"cachePoint"}:
                self._cachepoint_follows(node)
            if "cache_control" in keys:
                element = dict_element(node, "cache_control")
                kind = self.index.evaluate(dict_value(node, "type"))
                if kind in UNCACHEABLE_TYPES:
                    self.report("CL406", element, f"`cache_control` on a `{kind}` block: thinking blocks cannot carry a breakpoint (HTTP 400); they are cached as part of the assistant turn, so put the breakpoint on the next eligible block (a text or tool_result block)", "messages")
                elif kind == "text" and self.index.evaluate(dict_value(node, "text")) == "":
                    self.report("CL406", element, "`cache_control` on an empty text block, which cannot be cached (HTTP 400); put the breakpoint on the previous non-empty block", None)
                elif self.index.evaluate(dict_value(node, "defer_loading")) is True:
                    self.report("CL406", element, "`cache_control` together with `defer_loading: True` on a tool (HTTP 400): a deferred tool is not part of the prefix; put the breakpoint on the last non-deferred tool", "tools")
            if OPENAI_MARKER in keys:
                self._openai_marker(node, keys)
            if "cachePoint" in keys and ("text" in keys or "image" in keys or "toolResult" in keys):
                self.report(
                    "CL407",
                    dict_element(node, "cachePoint"),
                    "`cachePoint` nested inside a content block: Bedrock Converse takes a checkpoint only as its own list element "
                    "(`[{\"text\": ...}, {\"cachePoint\": {\"type\": \"default\"}}]`), so this is rejected",
                    None,
                )

    def _cachepoint_follows(self, point: cst.Dict) -> None:
        """CL407: a checkpoint element right after a block type the Bedrock model rejects it after (Nova: `toolResult`).

        The content list is often built in the agent loop (`[*tool_results, point]`, `results + [point]`,
        `content.append(point)` after appending tool results), so the check follows the list, not the request;
        the model is that of the Bedrock requests in the same function, else in the module.
        """
        kinds = self._kinds_before(point)
        if not kinds:
            return
        function = self.index.function_of(point)
        requests = [r for r in self.index.requests if r.provider == "bedrock"]
        requests = [r for r in requests if function is not None and self.index.function_of(r.call) is function] or requests
        models = [self.index.model_name(r) for r in requests]
        if not requests or None in models:
            return
        facts = [f for f in (self.providers.lookup("bedrock", m) for m in models) if f is not None and f.known]
        if len(facts) != len(models) or not all(kinds <= set(f.cachepoint_not_after) for f in facts):
            return
        after = " or ".join(f"`{k}`" for k in sorted(kinds))
        self.report(
            "CL407",
            point,
            f"A `cachePoint` right after a {after} block, in a request to `{models[0]}`: Bedrock rejects a checkpoint in that "
            f"position for this model (HTTP 400; rules/providers.yaml, {facts[0].cachepoint_not_after_source}), so every such "
            "turn fails and nothing is cached; put the checkpoint after the system text, or after a text block of a user turn",
            "messages",
            sink_related(self.index, requests[0], self.filename),
        )

    def _kinds_before(self, point: cst.Dict) -> set[str] | None:
        """Block types the element before a checkpoint can have (its dict keys), None when that cannot be told."""
        element = self.index.parent(point)
        holder = self.index.parent(element) if type(element) is cst.Element else None
        if type(holder) is cst.List:
            position = next(i for i, e in enumerate(holder.elements) if e is element)
            if position > 0:
                return self._element_kinds(holder.elements[position - 1], point)
            operation = self.index.parent(holder)
            if type(operation) is cst.BinaryOperation and type(operation.operator) is cst.Add and operation.right is holder:
                return self._last_kinds(operation.left, point)  # `tool_results + [checkpoint]`
            return None
        call = self.index.parent(element) if type(element) is cst.Arg else None
        if type(call) is cst.Call and type(call.func) is cst.Attribute and call.func.attr.value == "append":
            return self._added_kinds(call.func.value, call)  # `content.append(checkpoint)`
        return None

    def _element_kinds(self, element: cst.BaseElement | cst.BaseExpression, at: cst.CSTNode) -> set[str] | None:
        if type(element) is cst.StarredElement:
            return self._last_kinds(element.value, at)
        value = self.index.resolve(element.value if type(element) is cst.Element else element)
        return (dict_keys(value) or None) if type(value) is cst.Dict else None

    def _last_kinds(self, expr: cst.BaseExpression, at: cst.CSTNode) -> set[str] | None:
        """Block types the last element of a list expression can have."""
        if name_key(expr) is not None and name_key(expr) in self.index.scope(at).mutated:
            return self._added_kinds(expr, at)
        value = self.index.resolve(expr)
        if type(value) in (cst.List, cst.Tuple) and value.elements:
            return self._element_kinds(value.elements[-1], at)
        if type(value) is cst.ListComp:
            return self._element_kinds(value.elt, at)
        return None

    def _added_kinds(self, target: cst.BaseExpression, at: cst.CSTNode) -> set[str] | None:
        """Block types appended to a list before `at`: what its last element can be (None if anything else changes it)."""
        key = name_key(target)
        if key is None:
            return None
        scope = self.index.scope(at)
        kinds: set[str] = set()
        start = self.index.span(at)[:2]
        for node, value in scope.assigns.get(key, []):
            if self.index.span(node)[:2] >= start or type(value) in (cst.List, cst.Tuple) and not value.elements:
                continue  # assigned later, or starts empty
            first = self._last_kinds(value, node) if value is not None else None
            if first is None:
                return None
            kinds |= first
        for node in walk_scope(scope.node):
            if not (type(node) is cst.Call and type(node.func) is cst.Attribute and name_key(node.func.value) == key):
                continue
            if self.index.span(node)[:2] >= start or node.func.attr.value not in MUTATORS:
                continue
            if node.func.attr.value not in ("append", "extend") or not node.args:
                return None
            added = self._element_kinds(node.args[0].value, node) if node.func.attr.value == "append" else self._last_kinds(node.args[0].value, node)
            if added is None:
                return None
            kinds |= added
        return kinds or None

    def _openai_marker(self, block: cst.Dict, keys: set[str]) -> None:
        """CL408: an OpenAI breakpoint on a tool definition or on assistant output, wherever the block is built."""
        kind = self.index.evaluate(dict_value(block, "type"))
        if any(k in keys for k in OPENAI_TOOL_KEYS) or kind == "function" and "name" in keys:
            where, segment = "a tool definition", "tools"
        elif self.index.evaluate(dict_value(block, "role")) == "assistant":
            where, segment = "an assistant message", "messages"
        elif isinstance(kind, str) and kind not in self._markable(None):
            where, segment = f"an item of type `{kind}`", "messages"
        else:
            return
        also = " (tools come before it, so they are cached with it)" if segment == "tools" else ""
        self.report("CL408", dict_element(block, OPENAI_MARKER), f"`{OPENAI_MARKER}` on {where}: {self._placement(None)}{also}", segment)

    def check_marked_by_type(self) -> None:
        """CL406 on `block["cache_control"] = ...` under `if block["type"] == "thinking":`."""
        for node in self.index.assigns:
            for target in node.targets:
                t = target.target
                if not (type(t) is cst.Subscript and _key_of(t) == "cache_control"):
                    continue
                root = _root(t.value)
                kind = next((k for k in (self._type_test(a, root) for a in self.index.ancestors(node) if type(a) is cst.If) if k), None)
                if kind in UNCACHEABLE_TYPES:
                    self.report("CL406", node, f"`cache_control` set on a `{kind}` block: thinking blocks cannot carry a breakpoint (HTTP 400); they are cached as part of the assistant turn, so put the breakpoint on the next eligible block (a text or tool_result block)", "messages")

    def _type_test(self, guard: cst.If, root: str | None) -> object:
        """The constant in `if root["type"] == "...":` (also `root.type`, `root.get("type")`)."""
        test = guard.test
        if root is None or type(test) is not cst.Comparison or len(test.comparisons) != 1 or type(test.comparisons[0].operator) is not cst.Equal:
            return None
        for side, other in ((test.left, test.comparisons[0].comparator), (test.comparisons[0].comparator, test.left)):
            reads_type = (
                type(side) is cst.Subscript and _key_of(side) == "type" and name_key(side.value) == root
                or type(side) is cst.Attribute and side.attr.value == "type" and name_key(side.value) == root
                or type(side) is cst.Call and type(side.func) is cst.Attribute and side.func.attr.value == "get" and name_key(side.func.value) == root
                and bool(side.args) and self.index.evaluate(side.args[0].value) == "type"
            )
            if reads_type:
                return self.index.evaluate(other)
        return None

    def check_marking_loops(self) -> None:
        """CL402: a loop that sets `cache_control` on every message, block or tool it walks, or a
        comprehension that copies each with `cache_control` added."""
        for loop in self.index.fors:
            self._marking_loop(loop)
        for node in walk(self.index.module):
            if type(node) is cst.ListComp and not node.for_in.ifs and node.for_in.inner_for_in is None and not _bounded(node.for_in.iter, self.index):
                if type(node.elt) is cst.Dict and dict_element(node.elt, "cache_control") is not None:
                    self.report(
                        "CL402",
                        node,
                        f"This comprehension puts `cache_control` on every element of `{self.index.short(node.for_in.iter)}`: with more "
                        "than 4 elements the request is rejected with HTTP 400 (at most 4 breakpoints); mark only the last block",
                        None,
                    )

    def _marking_loop(self, loop: cst.For) -> None:
        if _bounded(loop.iter, self.index):
            return
        targets = {n for n in _target_keys(loop.target)}
        for node in walk_scope(loop.body):
            # The loop may stop or skip elements (a condition that picks which ones to mark).
            if type(node) in (cst.Break, cst.Return, cst.Continue):
                return
        for node in walk_scope(loop.body):
            if type(node) is not cst.Assign or any(type(a) in (cst.If, cst.IfExp) for a in self.index.ancestors(node) if self.index.inside(a, loop.body)):
                continue
            for target in node.targets:
                t = target.target
                if type(t) is cst.Subscript and _key_of(t) == "cache_control" and _root(t) in targets and self.index.evaluate(node.value) is not None:
                    self.report(
                        "CL402",
                        node,
                        f"This loop sets `cache_control` on every element of `{self.index.short(loop.iter)}`: with more than 4 "
                        "elements the request is rejected with HTTP 400 (at most 4 breakpoints); mark only the last tool or system "
                        "block and the newest message",
                        None,
                    )
                    return

    # CL410 ------------------------------------------------------------
    def check_configuration(self) -> None:
        for call in self.index.calls:
            name = (self.index.qualname(call.func) or "").rsplit(".", 1)[-1]
            if name in MIDDLEWARES:
                self._middleware(call, MIDDLEWARES[name])
            elif name in ("setdefault", "putenv", "__setitem__") and len(call.args) > 1:
                self._disabled(call, self.index.evaluate(call.args[0].value), call.args[1].value)
            for arg in call.args:
                if arg.keyword is not None:  # os.environ.update(DISABLE_PROMPT_CACHING="1"), dict(...)
                    self._disabled(arg, arg.keyword.value, arg.value)
        for assign in self.index.assigns:
            for target in assign.targets:
                if type(target.target) is cst.Subscript:
                    self._disabled(assign, _key_of(target.target), assign.value)
        for node in self.index.dicts:
            for element in node.elements:
                if type(element) is cst.DictElement and type(element.key) is cst.SimpleString:
                    self._disabled(element, string_value(element.key), element.value)

    def _disabled(self, node: cst.CSTNode, key: object, value: cst.BaseExpression) -> None:
        switch = load_switches().get(key) if isinstance(key, str) else None
        if switch is None:
            return
        setting = self.index.evaluate(value)
        if isinstance(setting, str) and switch.is_on(setting):
            self.report("CL410", node, switch.message(setting, "in code"), None)

    def _middleware(self, call: cst.Call, middleware: Middleware) -> None:
        setting = {a.keyword.value: self.index.evaluate(a.value) for a in call.args if a.keyword is not None}
        found = self._nearby_model(call)
        if found is None:
            return
        chat_class, model = found
        name = self.index.short(call.func)
        if setting.get("unsupported_model_behavior") == "ignore":
            if chat_class in CHAT_MODELS and chat_class not in middleware.classes:
                other = next((n for n, m in MIDDLEWARES.items() if chat_class in m.classes), None)
                fix = f"use `{other}` for this model" if other else "add `cache_control` to the system blocks yourself"
                self.report(
                    "CL410",
                    call,
                    f"`{name}` handles {middleware.accepted}, and `unsupported_model_behavior=\"ignore\"` makes it skip this "
                    f"`{chat_class}` model (`{model}`) silently: no breakpoint is added, so every call pays the full input price for "
                    f"tools, system and history instead of 0.1x; {fix}, and keep the default \"warn\" so a skipped model shows up",
                    None,
                )
                return
            if chat_class in middleware.classes and middleware.model_ids and not any(m in model.lower() for m in middleware.model_ids):
                self.report(
                    "CL410",
                    call,
                    f"`{name}` handles {middleware.accepted}, so it does nothing for `{model}`, and `unsupported_model_behavior="
                    "\"ignore\"` hides that: the code looks cached while every call pays the full input price; drop the middleware, "
                    "or use a model it can cache",
                    None,
                    severity="low",
                )
                return
        if setting.get("ttl") != "1h":
            return
        facts = self.providers.lookup(middleware.provider, model)
        if facts is None or "1h" in facts.ttls or not facts.known:
            return
        self.report(
            "CL410",
            call,
            f"`ttl=\"1h\"` on the prompt-caching middleware for `{model}`, which supports only {', '.join(facts.ttls)} "
            f"({_where(facts)}): the breakpoints it adds are rejected or cache nothing, so every call pays full price; use ttl=\"5m\"",
            None,
        )

    def _nearby_model(self, call: cst.Call) -> tuple[str | None, str] | None:
        """(chat model class, model id) of the one literal model id given to a model or agent constructor in the same
        function or module; the class is None when it cannot be told."""
        scope = self.index.function_of(call) or self.index.module
        found: set[tuple[str | None, str]] = set()
        for node in walk_scope(scope):
            if type(node) is not cst.Call:
                continue
            constructor = (self.index.qualname(node.func) or "").rsplit(".", 1)[-1]
            values = [a.value for a in node.args if a.keyword is not None and a.keyword.value in MODEL_KEYWORDS]
            if constructor in MODEL_FACTORIES and node.args and node.args[0].keyword is None:
                values.append(node.args[0].value)
            provider = next((self.index.evaluate(a.value) for a in node.args if a.keyword is not None and a.keyword.value == "model_provider"), None)
            for value in values:
                model = self.index.evaluate(value)
                if isinstance(model, str):
                    found.add(_chat_model(constructor, model, provider if isinstance(provider, str) else None))
        models = {model for _, model in found}
        if len(models) != 1:
            return None
        classes = {c for c, _ in found if c is not None}
        return (classes.pop() if len(classes) == 1 else None), models.pop()


# ---------------------------------------------------------------------- helpers
def request_layout(index: ModuleIndex, request: Request) -> Layout:
    """The visible breakpoints of a request, and which segments are fully visible literals."""
    out: list[Breakpoint] = []
    complete = {}
    tools = index.tools_expr(request)
    complete["tools"] = _blocks(index, tools, "tools", out) if tools is not None else True
    system = request.arg("system")
    if system is None or isinstance(index.evaluate(system), str):
        complete["system"] = True
    else:
        resolved = index.resolve(system)
        if type(resolved) is cst.Dict and dict_element(resolved, "cache_control") is not None:
            element = dict_element(resolved, "cache_control")
            out.append(Breakpoint("system", "system-dict", element, element.value, resolved, ttl=setting_ttl(index, element.value)))
            complete["system"] = True
        else:
            complete["system"] = _blocks(index, system, "system", out)
    messages = request.arg("messages")
    listed = index.elements(messages) if messages is not None else None
    grown = listed is None and index.grown_from(messages) is not None
    if grown:
        # A list literal that later gains turns: its own breakpoints are all still sent, and
        # none of its items is the newest message.
        start = index.elements(index.grown_from(messages))
        listed = (start[0], False) if start is not None else None
    complete["messages"] = listed is not None and listed[1]
    if listed is not None:
        items = listed[0]
        newest = len(items) - 1 if not grown else -1
        for i, item in enumerate(items):
            message = index.resolve(item)
            if type(message) is not cst.Dict:
                complete["messages"] = False
                continue
            element = dict_element(message, "cache_control")
            if element is not None:
                out.append(Breakpoint("messages", "message-level", element, element.value, message, i == newest, setting_ttl(index, element.value)))
            content = dict_value(message, "content")
            if content is not None and not isinstance(index.evaluate(content), str):
                first = len(out)
                if not _blocks(index, content, "messages", out):
                    complete["messages"] = False
                for bp in out[first:]:
                    bp.last_message = i == newest
    top = request.keywords.get("cache_control")
    if top is not None:
        out.append(Breakpoint("messages", "top-level", top, top.value, None, True, setting_ttl(index, top.value)))
    return Layout(out, complete, listed is not None and listed[1])


def _blocks(index: ModuleIndex, expr: cst.BaseExpression | None, segment: str, out: list[Breakpoint]) -> bool:
    listed = index.elements(expr)
    if listed is None:
        return False
    items, complete = listed
    previous: cst.BaseExpression | None = None
    for position, item in enumerate(items):
        block = index.resolve(item)
        if type(block) is not cst.Dict:
            complete = False
            previous = block
            continue
        last = position == len(items) - 1
        element = dict_element(block, "cache_control")
        if element is not None:
            out.append(Breakpoint(segment, "block", element, element.value, block, ttl=setting_ttl(index, element.value), last_block=last))
        point = dict_element(block, "cachePoint")
        if point is not None and len(block.elements) == 1:
            # A shared `CP = {"cachePoint": ...}` marks where it is placed, not where it is defined.
            marker = item if type(item) in (cst.Name, cst.Attribute) else block
            out.append(Breakpoint(segment, "cachepoint", marker, point.value, previous, ttl=setting_ttl(index, point.value), last_block=last))
        previous = block
    return complete


def setting_ttl(index: ModuleIndex, setting: cst.BaseExpression | None) -> str | None:
    """The TTL of a breakpoint setting: "5m" or "1h", None for the default, "?" when computed."""
    resolved = index.resolve(setting)
    if type(resolved) is not cst.Dict:
        return "?"
    ttl = dict_value(resolved, "ttl")
    if ttl is None:
        return None
    value = index.evaluate(ttl)
    return value if isinstance(value, str) else "?"


def prefix_tokens(index: ModuleIndex, request: Request, bp: Breakpoint) -> int | None:
    """Estimated tokens of the literal prefix up to and including `bp`'s block, None if not all literal."""
    total = 0
    for segment in SEGMENT_ORDER:
        expr = index.tools_expr(request) if segment == "tools" else request.arg(segment)
        if expr is None:
            continue
        value = index.evaluate(expr)
        if value is UNKNOWN:
            return None
        if segment == bp.segment and bp.kind != "top-level":
            value = _cut_at_marker(value, bp, index)
            if value is UNKNOWN:
                return None
        total += literal_tokens(value, structured=segment == "tools")
        if segment == bp.segment:
            break
    return total


def _chat_model(constructor: str, model: str, provider: str | None) -> tuple[str | None, str]:
    """(chat model class, model id) for a model constructor, or for `init_chat_model`/`create_agent` and their
    "provider:model" strings (None when the class cannot be told)."""
    if constructor not in MODEL_FACTORIES:
        return constructor, model
    head, colon, rest = model.partition(":")
    if colon and "." not in head:  # "bedrock_converse:us.anthropic....", not the ":0" of a Bedrock id
        provider, model = head, rest
    elif provider is None and model.startswith("claude"):
        provider = "anthropic"  # what init_chat_model infers from the name
    return CHAT_MODEL_PREFIXES.get(provider or ""), model


def _where(facts: ModelFacts | None) -> str:
    return f"rules/providers.yaml, {facts.source} as of {facts.date}" if facts is not None else "rules/providers.yaml"


def _block_content(block: cst.CSTNode | None) -> cst.BaseExpression | None:
    """The text a content block carries (`text`, or `content` of a tool result); Bedrock blocks too."""
    if type(block) is not cst.Dict:
        return None
    for key in ("text", "content"):
        value = dict_value(block, key)
        if value is not None:
            return value
    return None


def literal_tokens(value: object, structured: bool) -> int:
    """Estimated tokens of a segment's literal value: the text of blocks and messages, tools as JSON."""
    if isinstance(value, str):
        return estimate_tokens(value, structured)
    if isinstance(value, list) and not structured:
        return sum(literal_tokens(v, False) for v in value)
    if isinstance(value, dict) and not structured:
        if "text" in value or "content" in value:
            return sum(literal_tokens(v, False) for k, v in value.items() if k in ("text", "content"))
        # Another block (a text `document` with its `source`): what it carries, without the marker.
        carried = {k: v for k, v in value.items() if k not in ("type", "cache_control", "cachePoint")}
        return estimate_tokens(json.dumps(carried), structured=True) if carried else 0
    return estimate_tokens(json.dumps(value), structured=True)


def _cut_at_marker(value: object, bp: Breakpoint, index: ModuleIndex) -> object:
    """The part of a segment's literal value up to the block the breakpoint marks."""
    if not isinstance(value, list):
        return value
    if bp.segment != "messages":
        for i, item in enumerate(value):
            if isinstance(item, dict) and ("cache_control" in item or "cachePoint" in item):
                return value[: i + 1]
        return value
    for i, message in enumerate(value):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            for j, item in enumerate(content):
                if isinstance(item, dict) and ("cache_control" in item or "cachePoint" in item):
                    return value[:i] + [{"content": content[: j + 1]}]
    return value


def _key_of(target: cst.Subscript) -> str | None:
    slice_ = target.slice[0].slice if len(target.slice) == 1 else None
    if type(slice_) is cst.Index and type(slice_.value) is cst.SimpleString:
        value = string_value(slice_.value)
        return value if isinstance(value, str) else None
    return None


def _root(node: cst.BaseExpression) -> str | None:
    while type(node) in (cst.Subscript, cst.Attribute) and name_key(node) is None:
        node = node.value
    return name_key(node)


def _target_keys(target: cst.BaseExpression) -> list[str]:
    if type(target) is cst.Name:
        return [target.value]
    if type(target) in (cst.Tuple, cst.List):
        return [k for e in target.elements for k in _target_keys(e.value)]
    return []


def _bounded(iterable: cst.BaseExpression, index: ModuleIndex) -> bool:
    """The loop walks a known short list (at most 4 items) or a bounded slice like `messages[-2:]`."""
    if type(iterable) is cst.Call and type(iterable.func) is cst.Name and iterable.func.value in ("enumerate", "reversed") and iterable.args:
        iterable = iterable.args[0].value
    if type(iterable) is cst.Subscript:
        slice_ = iterable.slice[0].slice if len(iterable.slice) == 1 else None
        if type(slice_) is cst.Slice:
            lower, upper = int_value(slice_.lower), int_value(slice_.upper)
            if lower is not None and lower < 0 and upper is None:
                return -lower <= 4
            if lower is not None and upper is not None and lower >= 0:
                return upper - lower <= 4
        return False
    listed = index.elements(iterable)
    return listed is not None and listed[1] and len(listed[0]) <= 4
