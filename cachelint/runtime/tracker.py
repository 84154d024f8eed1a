"""The provider-neutral core: conversations, drift, accounting.

`PrefixTracker.observe(request)` fingerprints a request, finds its conversation, compares it with
that conversation's previous request and returns a `DriftReport` or None. SDK adapters use the
two-step form, `begin()` before sending and `Call.finish(usage)` when the response (or the end of
its stream) arrives.

Conversations are found, in order, by the `conversation=` argument, the enclosing
`with cachelint.conversation(...)` block, the `watch(conversation=...)` default, and otherwise
automatically by longest shared prefix:

1. the chain hash at each message boundary of every conversation's latest request is indexed
   (from the first turn: leading system messages of an OpenAI chat are the app's shared head); the
   new request's boundaries are looked up from last to first, and the first hit is its parent
   (plain append-only growth, or a rewrite somewhere in the history);
2. failing that, the same over a chain of the messages alone, so a request whose tools or system
   prompt changed is still matched to its conversation and the change is reported as drift
   rather than hidden as a "new conversation" (needs two shared messages, or a head where only the
   tools or only the system prompt changed, so that two agents answering the same first message
   are not merged);
3. failing that, the first message is looked up among every conversation's latest messages, which
   catches a history that drops messages from the front (sliding window).

Unrelated conversations that start with identical messages (a templated task) merge under
automatic grouping; pass an explicit key for those. Memory is bounded: at most
`max_conversations` are kept, least recently used first out, with their index entries.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

from cachelint.providers import ModelFacts, ProviderFacts, load_provider_facts
from cachelint.runtime import checks as checks_mod
from cachelint.runtime import otel
from cachelint.runtime.accounting import Cost, Usage, input_cost, miss_premium, usage_from
from cachelint.runtime.context import current_conversation
from cachelint.runtime.drift import DriftReport, build_report, classify
from cachelint.runtime.errors import InternalErrors
from cachelint.runtime.logsink import JsonLinesSink, LogTarget, sink_for
from cachelint.runtime.segments import MESSAGES, PARAMS, SYSTEM, TOOLS, Fingerprint, fingerprint
from cachelint.runtime.serialize import HASH_NAME, SERIALIZER, hex64

logger = logging.getLogger("cachelint")

_FACTS_PROVIDER = {"anthropic": "anthropic", "vertex": "anthropic", "bedrock": "bedrock", "openai": "openai"}
_NEAR = 8  # boundaries looked up one by one from the end before the whole chain is tested


@dataclass
class ConversationStats:
    """Totals for one conversation (a snapshot: copying is cheap and thread-safe)."""

    conversation: str
    provider: str = ""
    model: str | None = None
    calls: int = 0  # requests made; a retry of one is counted in `retries`
    errors: int = 0
    retries: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    cost_no_cache: float = 0.0
    lost_to_drift: float = 0.0
    lost_to_misses: float = 0.0
    priced: bool = False
    drifts: list[DriftReport] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)

    @property
    def hit_rate(self) -> float:
        return self.usage.hit_rate


class _Conversation:
    __slots__ = ("id", "last", "turn", "last_time", "last_usage", "stats", "totals", "boundary_keys", "message_keys", "first_keys")

    def __init__(self, key: str) -> None:
        self.id = key
        self.last: Fingerprint | None = None
        self.turn = 0
        self.last_time: float | None = None
        self.last_usage: Usage | None = None
        self.stats = ConversationStats(key)
        # Usage totals, summed in place on every call; `stats.usage` is built from them when read.
        self.totals = [0, 0, 0, 0, 0]
        # This conversation's keys in the tracker's three indexes. Lists, not sets: a new
        # conversation brings hundreds of keys, and only a rewritten history needs set arithmetic.
        self.boundary_keys: list[int] = []
        self.message_keys: list[int] = []
        self.first_keys: list[int] = []


class Call:
    """One request in flight; `finish()` records its usage exactly once."""

    __slots__ = ("id", "tracker", "fingerprint", "conversation", "turn", "drift", "findings", "prev_usage", "gap", "op", "attempt", "sink", "usage", "finished", "_lock")

    def __init__(
        self,
        tracker: PrefixTracker,
        fp: Fingerprint,
        conversation: str,
        turn: int,
        drift: DriftReport | None,
        findings: list[checks_mod.Finding],
        prev_usage: Usage | None,
        gap: float | None,
        op: str | None,
        attempt: int,
        sink: JsonLinesSink | None,
    ) -> None:
        self.id = next(tracker._ids)
        self.tracker = tracker
        self.fingerprint = fp
        self.conversation = conversation
        self.turn = turn
        self.drift = drift
        self.findings = findings
        self.prev_usage = prev_usage
        self.gap = gap
        self.op = op
        self.attempt = attempt
        self.sink = sink
        self.usage: Usage | None = None
        self.finished = False
        self._lock = threading.Lock()

    def finish(self, usage: Any = None, *, error: BaseException | str | None = None) -> None:
        """Record the response's usage (any provider's usage mapping or SDK object) or an error."""
        with self._lock:
            if self.finished:
                return
            self.finished = True
        # The companion never breaks the caller; an unreadable usage still leaves a log line.
        try:
            normalized = usage if isinstance(usage, Usage) else usage_from(usage)
        except Exception:
            self.tracker.errors("cachelint: cannot read the response's usage")
            normalized = None
        try:
            self.tracker._finish(self, normalized, error)
        except Exception:
            self.tracker.errors("cachelint: internal error while recording usage")


class PrefixTracker:
    """Fingerprints requests, groups them into conversations, reports drift and keeps accounts."""

    def __init__(
        self,
        *,
        keep_text: bool = False,
        max_conversations: int = 512,
        providers: ProviderFacts | None = None,
        log: LogTarget = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keep_text = keep_text
        self.max_conversations = max_conversations
        self._providers = providers
        self._sink = sink_for(log)
        self._clock = clock
        self._lock = threading.RLock()
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()
        self._by_boundary: dict[int, str] = {}
        self._by_messages: dict[int, str] = {}
        self._by_message: dict[int, str] = {}
        self._ids = itertools.count(1)
        self._auto = itertools.count(1)
        self._facts: dict[tuple[str, str | None], ModelFacts | None] = {}
        self.errors = InternalErrors()  # the companion's own failures: logged, counted, never raised

    # -- public API ---------------------------------------------------------------------------

    def observe(
        self,
        request: dict[str, Any],
        *,
        provider: str | None = None,
        conversation: str | None = None,
        usage: Any = None,
    ) -> DriftReport | None:
        """Fingerprint `request`, compare it with its conversation's previous request, and return
        the drift report (None for a first request, an identical one or append-only growth)."""
        call = self.begin(request, provider=provider, conversation=conversation)
        call.finish(usage)
        return call.drift

    def begin(
        self,
        request: dict[str, Any],
        *,
        provider: str | None = None,
        api: str | None = None,
        conversation: str | None = None,
        default_conversation: str | None = None,
        op: str | None = None,
        attempt: int = 0,
        model: str | None = None,
        sink: JsonLinesSink | None = None,
        sent: bytes | None = None,
        blocking: bool = False,
    ) -> Call:
        """Fingerprint and compare a request about to be sent (or just sent, as `sent`: its bytes
        on the wire); finish the returned Call later. `blocking`: a drift stops this request before
        it is sent (assertion mode), so it is reported but does not become the conversation's
        latest request: the next one is compared with the last request actually sent."""
        fp = fingerprint(request, provider, api=api, model=model, keep_text=self.keep_text, sent=sent)
        now = self._clock()
        explicit = conversation or current_conversation() or default_conversation
        with self._lock:
            conv = self._conversation_for(fp, explicit)
            prev = conv.last
            gap = now - conv.last_time if conv.last_time is not None else None
            facts = self.facts(fp)
            drift = None
            if attempt == 0:
                conv.turn += 1
                if prev is not None:
                    change = classify(prev, fp)
                    if change is not None:
                        drift = build_report(
                            prev,
                            fp,
                            change,
                            conversation=conv.id,
                            turn=conv.turn,
                            prev_input_tokens=conv.last_usage.total_input if conv.last_usage else None,
                            cost_per_token=self._drift_price(prev, facts),
                        )
                        conv.stats.drifts.append(drift)
                        del conv.stats.drifts[:-50]  # keep the latest; the log has them all
                        if drift.cost_lost:
                            conv.stats.lost_to_drift += drift.cost_lost
            findings = checks_mod.request_checks(fp, prev, facts, gap) if attempt == 0 else []
            for f in findings:
                conv.stats.findings[f.name] = conv.stats.findings.get(f.name, 0) + 1
            turn = conv.turn
            if blocking and drift is not None:
                conv.turn -= 1  # never sent: the next request takes this turn
            else:
                self._remember(conv, fp)
                conv.last_time = now
            conv.stats.provider, conv.stats.model = fp.provider, fp.model
            return Call(self, fp, conv.id, turn, drift, findings, conv.last_usage, gap, op, attempt, sink or self._sink)

    def facts(self, fp: Fingerprint) -> ModelFacts | None:
        key = (fp.provider, fp.model)
        if key not in self._facts:
            if self._providers is None:
                self._providers = load_provider_facts()
            self._facts[key] = self._providers.lookup(_FACTS_PROVIDER.get(fp.provider, fp.provider), fp.model)
        return self._facts[key]

    def stats(self, conversation: str | None = None) -> list[ConversationStats]:
        """Per-conversation totals, most recently used last (all, or just one)."""
        with self._lock:
            if conversation is None:
                convs = list(self._conversations.values())
            else:
                convs = [self._conversations[conversation]] if conversation in self._conversations else []
            return [_copy_stats(c) for c in convs]

    def conversations(self) -> list[str]:
        with self._lock:
            return list(self._conversations)

    def reset(self) -> None:
        with self._lock:
            self._conversations.clear()
            self._by_boundary.clear()
            self._by_messages.clear()
            self._by_message.clear()

    # -- conversations ------------------------------------------------------------------------

    def _conversation_for(self, fp: Fingerprint, explicit: str | None) -> _Conversation:
        key = explicit or self._match(fp) or f"auto-{next(self._auto)}"
        conv = self._conversations.get(key)
        if conv is None:
            conv = _Conversation(key)
            self._conversations[key] = conv
            while len(self._conversations) > self.max_conversations:
                _, old = self._conversations.popitem(last=False)
                self._forget(old)
        else:
            self._conversations.move_to_end(key)
        return conv

    def _match(self, fp: Fingerprint) -> str | None:
        # Boundaries from the first turn on: a system message that opens an OpenAI chat is head
        # content shared by every conversation of an app, like Anthropic's system section.
        # The latest boundary that is known wins. A request that continues a conversation finds it
        # within its last few boundaries (the same request again, a turn or two more), so those
        # are looked up first; the rest is walked only after a membership test in C (isdisjoint),
        # so that a request of a new conversation, which matches nothing, costs no Python loop
        # over its hundreds of boundaries.
        start = fp.turn_start
        chain = fp.chain
        by_boundary = self._by_boundary
        near = max(len(fp) - _NEAR, start)
        for k in range(len(fp) - 1, near - 1, -1):
            hit = by_boundary.get(chain[k])
            if hit is not None:
                return hit
        if near > start and not by_boundary.keys().isdisjoint(chain[start:near]):
            for k in range(near - 1, start - 1, -1):
                hit = by_boundary.get(chain[k])
                if hit is not None:
                    return hit
        msg_chain = fp.msg_chain
        if not self._by_messages.keys().isdisjoint(msg_chain):
            for k in range(len(msg_chain) - 1, -1, -1):
                hit = self._by_messages.get(msg_chain[k])
                # Sharing only the opening message: the same conversation if the head is partly the
                # same, unless the application keys them apart. Sharing later turns: the same one.
                if hit is not None and (k >= 1 or self._one_head_section_kept(hit, fp) and self._same_cache_key(hit, fp)):
                    return hit
        if start < len(fp):
            hit = self._by_message.get(fp.hashes[start])
            if hit is not None and self._same_cache_key(hit, fp):
                last = self._conversations[hit].last
                change = classify(last, fp) if last is not None else None
                if change is not None and change.kind == "dropped_front":
                    return hit
        return None

    def _same_cache_key(self, key: str, fp: Fingerprint) -> bool:
        """False when both requests name an OpenAI `prompt_cache_key` and the keys differ: the
        application keeps them apart (a key per user or conversation), even when they begin alike."""
        last = self._conversations[key].last
        if last is None:
            return True
        mine, theirs = _param_hash(fp, "prompt_cache_key"), _param_hash(last, "prompt_cache_key")
        return mine is None or theirs is None or mine == theirs

    def _one_head_section_kept(self, key: str, fp: Fingerprint) -> bool:
        last = self._conversations[key].last
        if last is None:
            return False
        same = [
            [last.hashes[i] for i in last.indexes(section)] == [fp.hashes[i] for i in fp.indexes(section)]
            for section in (TOOLS, SYSTEM)
        ]
        return any(same)

    def _remember(self, conv: _Conversation, fp: Fingerprint) -> None:
        last = conv.last
        conv.last = fp
        start = fp.turn_start
        if last is not None and len(last) <= len(fp) and last.turn_start == start and last.chain and fp.chain[len(last) - 1] == last.head:
            # Append-only growth (the usual turn): every old key is still valid; add the new ones.
            if len(last) == len(fp) and len(last.msg_chain) == len(fp.msg_chain):
                return  # the same request again: nothing new
            n, m = max(len(last), start), len(last.msg_chain)
            additions = ((self._by_boundary, conv.boundary_keys, fp.chain[n:]), (self._by_messages, conv.message_keys, fp.msg_chain[m:]), (self._by_message, conv.first_keys, fp.hashes[n:]))
            for index, keys, new in additions:
                index.update(dict.fromkeys(new, conv.id))
                keys.extend(new)
            return
        boundary = fp.chain[start:]
        messages = list(fp.msg_chain)
        first = fp.hashes[start:]
        for index, old, new in (
            (self._by_boundary, conv.boundary_keys, boundary),
            (self._by_messages, conv.message_keys, messages),
            (self._by_message, conv.first_keys, first),
        ):
            if old:
                for key in set(old).difference(new):
                    if index.get(key) == conv.id:
                        del index[key]
            index.update(dict.fromkeys(new, conv.id))  # in C: hundreds of keys for a new conversation
        conv.boundary_keys, conv.message_keys, conv.first_keys = boundary, messages, first

    def _forget(self, conv: _Conversation) -> None:
        for index, keys in ((self._by_boundary, conv.boundary_keys), (self._by_messages, conv.message_keys), (self._by_message, conv.first_keys)):
            for key in keys:
                if index.get(key) == conv.id:
                    del index[key]

    # -- accounting ---------------------------------------------------------------------------

    def _drift_price(self, prev: Fingerprint, facts: ModelFacts | None) -> float | None:
        if prev.provider != "openai" and not prev.breakpoints:
            return 0.0  # nothing was cached, so nothing is lost (yet)
        ttl = "1h" if any(bp.ttl == "1h" for bp in prev.breakpoints) else "5m"
        return miss_premium(facts, ttl)

    def _finish(self, call: Call, usage: Usage | None, error: BaseException | str | None) -> None:
        try:
            cost, findings = self._account(call, usage, error)
        except Exception:
            # Accounting is the companion's own business: the call is still logged, without costs.
            self.errors("cachelint: internal error while accounting a call")
            cost, findings = None, list(call.findings)
        call.usage = usage
        sink = call.sink
        export = otel.active()
        if sink is None and not export:
            return  # nobody reads the record: do not build it
        record = self._record(call, usage, None if cost is None else Cost(*cost), findings, error)
        if sink is not None:
            try:
                sink.write(record)
            except Exception:
                self.errors("cachelint: cannot write the log line")
        if export:
            otel.emit(record)

    def _account(self, call: Call, usage: Usage | None, error: BaseException | str | None) -> tuple[tuple[float, float, float] | None, list[checks_mod.Finding]]:
        """Add the call to its conversation's totals; its cost (actual, no_cache, lost: a Cost
        is built only for a record) and every finding about it."""
        fp = call.fingerprint
        facts = self.facts(fp)
        extra: list[checks_mod.Finding] = []
        prices = None
        lost = 0.0
        if usage is not None:
            prev_usage = call.prev_usage
            extra = checks_mod.usage_checks(fp, usage, prev_usage, call.drift is not None, call.gap, facts)
            prices = input_cost(usage, facts)
            if extra and prev_usage is not None and any(f.name in ("ttl-gap", "write-never-read", "unexplained-miss") for f in extra):
                premium = miss_premium(facts, "1h" if usage.write_1h else "5m")
                if premium is not None:
                    lost = min(usage.write or usage.uncached, prev_usage.read + prev_usage.write) * premium
        with self._lock:
            conv = self._conversations.get(call.conversation)
            if conv is not None:
                stats = conv.stats
                if call.attempt:
                    stats.retries += 1
                else:
                    stats.calls += 1
                if error is not None:
                    stats.errors += 1
                if usage is not None:
                    totals = conv.totals
                    totals[0] += usage.uncached
                    totals[1] += usage.read
                    totals[2] += usage.write_5m
                    totals[3] += usage.write_1h
                    totals[4] += usage.output
                    if prices is not None:
                        stats.priced = True
                        stats.cost += prices[0]
                        stats.cost_no_cache += prices[1]
                    stats.lost_to_misses += lost
                    for f in extra:
                        stats.findings[f.name] = stats.findings.get(f.name, 0) + 1
                    conv.last_usage = usage
        cost = None if prices is None else (prices[0], prices[1], lost + ((call.drift.cost_lost or 0.0) if call.drift else 0.0))
        if not extra:
            return cost, call.findings
        for f in extra:
            if f not in call.findings:
                logger.info("cachelint: %s [%s] %s", call.conversation, f.name, f.message)
        return cost, call.findings + extra

    def _record(self, call: Call, usage: Usage | None, cost: Cost | None, findings: list[checks_mod.Finding], error: Any) -> dict[str, Any]:
        fp = call.fingerprint
        sections = {}
        for section in (TOOLS, SYSTEM, MESSAGES):
            idx = fp.indexes(section)
            if idx:
                sections[section] = {"segments": len(idx), "bytes": sum(fp.sizes[i] for i in idx), "chain": hex64(fp.chain[idx[-1]])}
        return {
            "cachelint": 1,
            "ts": round(self._clock(), 3),
            "call": call.id,
            "conversation": call.conversation,
            "turn": call.turn,
            "attempt": call.attempt,
            "provider": fp.provider,
            "api": fp.api,
            "op": call.op,
            "model": fp.model,
            "hash": f"{HASH_NAME}/{SERIALIZER}",
            "segments": len(fp),
            "prefix_bytes": fp.total_bytes,
            "chain_head": hex64(fp.head),
            "sections": sections,
            "breakpoints": [{"segment": fp.label(b.segment), "block": b.block, "ttl": b.ttl, "auto": b.auto} for b in fp.breakpoints],
            "drift": call.drift.to_dict() if call.drift else None,
            "findings": [f.to_dict() for f in findings],
            "usage": usage.to_dict() if usage else None,
            "hit_rate": round(usage.hit_rate, 4) if usage else None,
            "cost": {"actual": cost.actual, "no_cache": cost.no_cache, "lost": cost.lost} if cost else None,
            "error": None if error is None else (error if isinstance(error, str) else type(error).__name__),
        }


def _param_hash(fp: Fingerprint, name: str) -> int | None:
    for i in range(fp.msg_start):
        if fp.keys[i][0] == PARAMS and fp.keys[i][1] == name:
            return fp.hashes[i]
    return None


def _copy_stats(conv: _Conversation) -> ConversationStats:
    s = conv.stats
    return ConversationStats(
        conversation=s.conversation,
        provider=s.provider,
        model=s.model,
        calls=s.calls,
        errors=s.errors,
        retries=s.retries,
        usage=Usage(*conv.totals),
        cost=s.cost,
        cost_no_cache=s.cost_no_cache,
        lost_to_drift=s.lost_to_drift,
        lost_to_misses=s.lost_to_misses,
        priced=s.priced,
        drifts=list(s.drifts),
        findings=dict(s.findings),
    )


__all__ = ["Call", "ConversationStats", "PrefixTracker"]
