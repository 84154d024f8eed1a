"""Split a request body into cache-ordered segments and hash them without keeping text.

Every provider caches the prefix tools -> system -> messages. A request becomes one segment per
tool, per system block, per message, plus the cache-keying parameters (model, tool_choice,
thinking, ...), each placed at the level it invalidates: the model first (it keys everything),
`speed` after the tools, `tool_choice`/`thinking` after the system prompt. Each segment's JSON
bytes (key order kept) are hashed with xxh3, and prefix hashes are chained, so two requests are
compared by their chains alone.

Breakpoint markers (`cache_control`, Bedrock `cachePoint` elements, OpenAI
`prompt_cache_breakpoint`) are removed before hashing, so moving a breakpoint is not content
drift; their positions are recorded separately for the breakpoint checks.
"""

from __future__ import annotations

import struct
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

from cachelint.runtime.serialize import Hasher, dumps, dumps_fast, hash_bytes, loads, strict_dumps

TOOLS, SYSTEM, MESSAGES, PARAMS = "tools", "system", "messages", "params"
_SEED = {TOOLS: 1, SYSTEM: 2, MESSAGES: 3, PARAMS: 4}
_MARKER_KEYS = ("cache_control", "prompt_cache_breakpoint")
_CHUNK = 1024
_CHUNKED_ABOVE = 4096
_PACK = struct.Struct("<QQ").pack

# Cache-keying parameters per API, in the position they take: before the tools, after the tools,
# or after the system prompt (prompt-caching.md §2.2-2.3). Sampling settings (temperature,
# max_tokens, top_p, metadata) do not key the cache and are left out.
_ANTHROPIC_PARAMS = (("model",), ("speed",), ("tool_choice", "thinking", "output_config", "output_format", "mcp_servers"))
_CONVERSE_PARAMS = (("modelId",), (), ("toolChoice", "additionalModelRequestFields", "performanceConfig"))
_CHAT_PARAMS = (("model", "prompt_cache_key"), ("tool_choice", "response_format"), ())
_RESPONSES_PARAMS = (("model", "prompt_cache_key"), ("tool_choice", "text"), ())

# Every top-level key the segments before the messages are made from, per API: the key of the
# head cache below.
_HEAD_KEYS = {
    "messages": ("model", "speed", "tool_choice", "thinking", "output_config", "output_format", "mcp_servers", "tools", "system"),
    "converse": ("modelId", "toolConfig", "system", "additionalModelRequestFields", "performanceConfig"),
    "chat": ("model", "prompt_cache_key", "tools", "tool_choice", "response_format"),
    "responses": ("model", "prompt_cache_key", "tools", "tool_choice", "text", "instructions"),
}
# Where the system prompt is among those (the long texts of an identity key, below).
_HEAD_SYSTEM = {"messages": 8, "converse": 2, "responses": 5}


@dataclass(frozen=True)
class Breakpoint:
    segment: int  # index of the segment holding the marker
    block: int  # 1-based position of the marked block among all blocks, in cache order
    ttl: str  # "5m", "1h", "30m" or "default"
    auto: bool = False  # Anthropic top-level automatic caching


@dataclass
class Fingerprint:
    """Hashes of one request's segments in cache order; holds prompt text only if asked to."""

    provider: str  # anthropic | bedrock | vertex | openai: the platform, for prices and minimums
    api: str  # messages | converse | invoke | chat | responses: the body shape
    model: str | None
    keys: list[tuple[str, Any, str | None]] = field(default_factory=list)  # (section, index or param, name)
    hashes: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)  # serialized bytes per segment
    blocks: list[int] = field(default_factory=list)  # cache blocks per segment (lookback counts blocks)
    chain: list[int] = field(default_factory=list)
    msg_chain: list[int] = field(default_factory=list)  # chain over the conversation turns alone
    msg_start: int = 0
    turn_start: int = 0  # the first message after leading system/developer messages (OpenAI chat)
    fields: dict[int, tuple[tuple[str, int], ...]] = field(default_factory=dict)  # tool -> field hashes
    chunks: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)  # (segment, part) -> 1 KiB hashes
    texts: dict[int, list[bytes]] | None = None  # segment -> serialized blocks, only with keep_text
    breakpoints: list[Breakpoint] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=lambda: {TOOLS: "tools", SYSTEM: "system", MESSAGES: "messages"})
    server_history: bool = False  # OpenAI previous_response_id / conversation: history lives server-side

    def __len__(self) -> int:
        return len(self.hashes)

    @property
    def head(self) -> int:
        return self.chain[-1] if self.chain else 0

    @property
    def total_bytes(self) -> int:
        return sum(self.sizes)

    @property
    def total_blocks(self) -> int:
        return sum(self.blocks)

    @property
    def n_messages(self) -> int:
        return len(self.hashes) - self.msg_start

    def section(self, i: int) -> str:
        return self.keys[i][0]

    def label(self, i: int) -> str:
        """The segment in user terms: `tools[3] ("search_docs")`, `system[0]`, `param tool_choice`."""
        section, index, name = self.keys[i]
        if section == PARAMS:
            return f"param {index}"
        base = f"{self.names[section]}[{index}]"
        return f'{base} ("{name}")' if section == TOOLS and name else base

    def indexes(self, section: str) -> range:
        found = [i for i, k in enumerate(self.keys) if k[0] == section]
        return range(found[0], found[-1] + 1) if found else range(0)

    def bytes_before(self, i: int) -> int:
        return sum(self.sizes[:i])


# Derived hashes (a tool's per-field hashes, a long segment's 1 KiB chunk hashes) depend only on
# the segment's bytes, so they are cached by segment hash: a tool or system prompt sent on every
# call is split once, not on every call. Bounded; cleared when full.
_DERIVED_MAX = 4096
_FIELDS: dict[int, tuple[tuple[str, int], ...]] = {}
_CHUNKS: dict[int, tuple[int, ...]] = {}


def _remember_derived(cache: dict[Any, Any], key: Any, value: Any, limit: int = _DERIVED_MAX) -> None:
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value


def _chunk_hashes(segment_hash: int, b: bytes) -> tuple[int, ...]:
    found = _CHUNKS.get(segment_hash)
    if found is None:
        view = memoryview(b)
        found = tuple(hash_bytes(view[o : o + _CHUNK]) for o in range(0, len(b), _CHUNK))
        _remember_derived(_CHUNKS, segment_hash, found)
    return found


# Most of a request repeats an earlier one: the same tools, system prompt and parameters, and the
# previous turn's history plus a few new messages. Serializing a whole section is one C call, while
# processing it segment by segment costs microseconds per segment in Python, so repeated parts are
# recognized by their bytes and their processed form is copied instead of rebuilt:
# - everything before the messages (the head), by the hash of the serialized head values, when
#   they are plain JSON types (strict_dumps): one serialization instead of one per part, and no
#   marker stripping;
# - a tool list, by the hash of its serialization (a changed system prompt keeps its tools);
# - the leading messages, by comparing the serialized message list with that of a recent request
#   that began with the same message: equal bytes up to one of that request's last two message
#   boundaries mean equal messages up to there, so their segments are copied from it.
# Entries are never mutated once stored, so threads share them; both caches are bounded.
_SECTIONS_MAX = 256
_RUN_KEYS_MAX = 64
_RUNS_PER_KEY = 2


@dataclass(frozen=True)
class _Section:
    """What processing one tool list appended to a builder, relative to where it started."""

    keys: tuple[tuple[str, Any, str | None], ...]
    hashes: tuple[int, ...]
    sizes: tuple[int, ...]
    blocks: tuple[int, ...]
    texts: tuple[list[bytes], ...] | None
    chunks: tuple[tuple[int, int, tuple[int, ...]], ...]  # (segment, part, 1 KiB hashes)
    fields: tuple[tuple[int, tuple[tuple[str, int], ...]], ...]
    marks: tuple[tuple[int, int, str], ...]  # (segment, block, ttl)
    n_blocks: int


# A system prompt is usually one long string that the application keeps and sends on every call;
# the SDKs rebuild the dicts and lists of a request but pass the strings on as they are. A str is
# immutable, so while a reference is held, the same object (`is`, compared by id()) means the same
# text: such a head can be recognized without serializing or hashing its long texts. The long
# texts of the system blocks are left out of the bytes of this identity key and their ids put in
# instead; every place that keeps an identity key also keeps those strings alive (`held`), so an
# id stands for that one object as long as the key is kept.
_BIG_TEXT = 4096


class _Head:
    """A head cache entry: the processed segments, and whether an identity key points to them."""

    __slots__ = ("section", "held", "has_identity")

    def __init__(self, section: _Section, held: tuple[str, ...] = ()) -> None:
        self.section, self.held, self.has_identity = section, held, False


class _HeadKeys:
    """A request's head cache keys: by identity (None unless found in the cache, with the strings
    it stands for held) and by content (None until computed, or when the values are not plain
    JSON types)."""

    __slots__ = ("identity", "content", "held")

    def __init__(self, identity: Any, content: Any, held: tuple[str, ...]) -> None:
        self.identity, self.content, self.held = identity, content, held

    def same(self, other: _HeadKeys) -> bool:
        return (self.identity is not None and self.identity == other.identity) or (self.content is not None and self.content == other.content)


_NO_HEAD_KEYS = _HeadKeys(None, None, ())


def _without_big_texts(value: Any) -> tuple[Any, tuple[tuple[int, int], ...], tuple[str, ...]]:
    """`value` (a system prompt: a str or a list of blocks) with its long texts replaced by None,
    where they were with their ids, and the texts."""
    if type(value) is str:
        return (None, ((-1, id(value)),), (value,)) if len(value) >= _BIG_TEXT else (value, (), ())
    if type(value) is not list:
        return value, (), ()
    out: list[Any] | None = None
    subs: list[tuple[int, int]] = []
    held: list[str] = []
    for j, block in enumerate(value):
        if type(block) is dict:
            text = block.get("text")
            if type(text) is str and len(text) >= _BIG_TEXT:
                if out is None:
                    out = list(value)
                stand_in = dict(block)
                stand_in["text"] = None
                out[j] = stand_in
                subs.append((j, id(text)))
                held.append(text)
    return (value, (), ()) if out is None else (out, tuple(subs), tuple(held))


class _MessageRun:
    """A fingerprinted message list, kept as the starting point of a later request's. Never
    changed once stored (a plain class: one is built per request, and a frozen dataclass costs
    several times as much to build)."""

    __slots__ = ("fp", "head", "block0", "count", "ends", "prefix_hashes", "block_ends", "keep_text")

    def __init__(
        self,
        fp: Fingerprint,
        head: _HeadKeys,  # the head cache keys of fp's segments before the messages
        block0: int,  # cache blocks before the messages in fp
        count: int,  # messages (at least two)
        ends: tuple[int, int],  # offsets in the serialized list just after messages[-2] and messages[-1]
        prefix_hashes: tuple[int, int],  # hashes of the serialized list up to those offsets
        block_ends: tuple[int, int],  # cache blocks in fp through messages[-2] and through messages[-1]
        keep_text: bool,
    ) -> None:
        self.fp, self.head, self.block0, self.count = fp, head, block0, count
        self.ends, self.prefix_hashes, self.block_ends, self.keep_text = ends, prefix_hashes, block_ends, keep_text


_SECTIONS: dict[tuple[int, bool], _Section] = {}
_HEADS_MAX = 64
_HEADS: dict[tuple[Any, ...], _Head] = {}
_RUNS: OrderedDict[int, list[_MessageRun]] = OrderedDict()
_RUNS_LOCK = threading.Lock()
_COMMA, _CLOSE = ord(","), ord("]")


def _find_run(key: int, raw: bytes | memoryview, keep_text: bool) -> tuple[_MessageRun | None, int, Any]:
    """A run whose first k messages serialize exactly like the first k of `raw`, k, and a Hasher
    fed with `raw` up to the end of those k messages (None when no run matches)."""
    runs = _RUNS.get(key, ())  # a stored list is replaced, never changed: no lock needed to read it
    view = memoryview(raw)
    for run in runs:
        if run.keep_text != keep_text:
            continue
        # The byte after a message boundary is a comma or the closing bracket. Equal bytes up to
        # the last boundary mean equal bytes up to the one before, so the one before is checked
        # first and the hash goes on from there: each byte is hashed once, and a conversation that
        # grew (its last message lost its breakpoint) costs no second pass.
        (before_last, last), (expected_before, expected_last) = run.ends, run.prefix_hashes
        if before_last >= len(raw) or raw[before_last] not in (_COMMA, _CLOSE):
            continue
        hasher = Hasher()
        hasher.update(view[:before_last])
        if hasher.intdigest() != expected_before:
            continue
        if last < len(raw) and raw[last] in (_COMMA, _CLOSE):
            ahead = hasher.copy()
            ahead.update(view[before_last:last])
            if ahead.intdigest() == expected_last:
                return run, run.count, ahead
        return run, run.count - 1, hasher
    return None, 0, None


def _sent_list(sent: bytes, body: dict[str, Any]) -> int:
    """Where `body`'s message list starts in `sent` (its opening bracket), when `sent` begins like
    `body` serialized compactly with its key order kept (what the SDKs send); else -1."""
    before: dict[str, Any] = {}
    for name, value in body.items():
        if name == "messages":
            break
        before[name] = value
    else:
        return -1
    opening = dumps(before)[:-1] + (b',"messages":' if before else b'"messages":')
    return len(opening) if sent.startswith(opening) else -1


def _sent_list_end(sent: bytes, start: int, messages: list[Any] | tuple[Any, ...], run: _MessageRun, k: int) -> int:
    """The length of the message list at `start` in `sent`, whose first k messages are `run`'s
    (equal bytes): each later message must be there exactly as it serializes here, then the
    closing bracket; 0 when they are not (the sender serialized something otherwise)."""
    pos = start + run.ends[k - run.count + 1]  # just after the k-th message
    for n in range(k, len(messages)):
        b = dumps(messages[n])
        # bytes.startswith compares in C at once; a memoryview slice compares item by item.
        if sent[pos : pos + 1] != b"," or not sent.startswith(b, pos + 1):
            return 0
        pos += 1 + len(b)
    return pos + 1 - start if sent[pos : pos + 1] == b"]" else 0


def _run_key(messages: list[Any] | tuple[Any, ...]) -> int:
    """Which runs a message list may continue: the hash of its first message after any leading
    system/developer messages (an OpenAI chat's system prompt is shared by every conversation of
    an app, and would cost a serialization of the whole prompt)."""
    t, last = 0, len(messages) - 1
    while t < last and type(messages[t]) is dict and messages[t].get("role") in ("system", "developer"):
        t += 1
    return hash_bytes(dumps(messages[t]))


def _store_run(key: int, run: _MessageRun, replaces: _MessageRun | None) -> None:
    with _RUNS_LOCK:
        runs = [r for r in _RUNS.get(key, ()) if r is not replaces]
        _RUNS[key] = [run, *runs][:_RUNS_PER_KEY]
        _RUNS.move_to_end(key)
        while len(_RUNS) > _RUN_KEYS_MAX:
            _RUNS.popitem(last=False)


def _touch_run(key: int) -> None:
    with _RUNS_LOCK:
        if key in _RUNS:
            _RUNS.move_to_end(key)


class _Builder:
    def __init__(self, provider: str, api: str, model: str | None, keep_text: bool) -> None:
        self.fp = Fingerprint(provider=provider, api=api, model=model, texts={} if keep_text else None)
        self.keep_text = keep_text
        self.block_count = 0
        # Messages copied from an earlier request's run (the run, how many, the Hasher fed up to
        # their end), and what finish() needs to store this request's own run: (key, serialized
        # list, messages).
        self._reused: tuple[_MessageRun, int, Any] | None = None
        self._pending: tuple[int, bytes | memoryview, list[Any] | tuple[Any, ...]] | None = None
        self._head_keys = _NO_HEAD_KEYS  # this request's head cache keys
        self._copied_prefix = False  # the head and the first messages were copied from a run
        self._block0 = 0  # cache blocks before the messages

    # -- markers ------------------------------------------------------------------------------

    def _strip(self, block: Any) -> tuple[Any, str | None]:
        """The block without breakpoint markers, and the marker's TTL if it had one."""
        if type(block) is not dict:
            return block, None
        ttl = None
        for key in _MARKER_KEYS:
            if key in block:
                marker = block[key]
                ttl = (marker.get("ttl") if isinstance(marker, dict) else None) or "default"
                block = {k: v for k, v in block.items() if k != key}
        if block.get("type") == "tool_result" and isinstance(block.get("content"), (list, tuple)):
            inner = [self._strip(b)[0] for b in block["content"]]
            block = {**block, "content": inner}
        return block, ttl

    @staticmethod
    def _cache_point(block: Any) -> str | None:
        if type(block) is dict and len(block) == 1 and "cachePoint" in block:
            point = block["cachePoint"]
            return (point.get("ttl") if isinstance(point, dict) else None) or "default"
        return None

    def _mark(self, ttl: str) -> None:
        # A marker sits on the last block added so far (Bedrock's cachePoint follows its block).
        self.fp.breakpoints.append(Breakpoint(max(len(self.fp.hashes) - 1, 0), self.block_count, ttl))

    # -- segments -----------------------------------------------------------------------------

    def _add(self, key: tuple[str, Any, str | None], h: int, size: int, blocks: int, raw: list[bytes]) -> int:
        fp = self.fp
        i = len(fp.hashes)
        fp.keys.append(key)
        fp.hashes.append(h)
        fp.sizes.append(size)
        fp.blocks.append(blocks)
        if fp.texts is not None:
            fp.texts[i] = raw
        for j, b in enumerate(raw):
            if len(b) > _CHUNKED_ABOVE:
                fp.chunks[(i, j)] = _chunk_hashes(h, b)
        return i

    def param(self, name: str, value: Any) -> None:
        b = dumps(value)
        self._add((PARAMS, name, None), hash_bytes(name.encode() + b"=" + b, _SEED[PARAMS]), len(b), 0, [b])

    def tools(self, tools: Any) -> None:
        if not isinstance(tools, (list, tuple)):
            return
        key = (hash_bytes(dumps(tools)), self.keep_text)
        section = _SECTIONS.get(key)
        if section is not None:
            self._replay(section)
            return
        fp = self.fp
        seg0, block0, marks0 = len(fp.hashes), self.block_count, len(fp.breakpoints)
        n = 0
        for tool in tools:
            ttl = self._cache_point(tool)
            if ttl:
                self._mark(ttl)
                continue
            tool, ttl = self._strip(tool)
            b = dumps(tool)
            self.block_count += 1
            i = self._add((TOOLS, n, _tool_name(tool)), hash_bytes(b, _SEED[TOOLS]), len(b), 1, [b])
            fields = _FIELDS.get(self.fp.hashes[i])
            if fields is None:
                spec, prefix = _tool_spec(tool)
                fields = tuple((prefix + k, hash_bytes(dumps(v))) for k, v in spec.items()) if isinstance(spec, dict) else ()
                _remember_derived(_FIELDS, self.fp.hashes[i], fields)
            self.fp.fields[i] = fields
            if ttl:
                self._mark(ttl)
            n += 1
        section = self._capture(seg0, block0, marks0)
        if section is not None:
            _remember_derived(_SECTIONS, key, section, _SECTIONS_MAX)

    def _head_keys_of(self, body: dict[str, Any]) -> _HeadKeys:
        """This request's head cache keys: the identity key when the cache has it, else the
        content key (the hash of the serialized head values, when they are all plain JSON types)."""
        api = self.fp.api
        values = [body.get(k) for k in _HEAD_KEYS[api]]
        # Bytes cannot tell an absent or None value from NaN (both `null`), the parts can.
        present = tuple([v is None for v in values])
        where = _HEAD_SYSTEM.get(api)
        if where is not None:
            system, subs, held = _without_big_texts(values[where])
            if subs:
                raw = strict_dumps([*values[:where], system, *values[where + 1 :]])
                if raw is not None:
                    identity = (api, self.keep_text, present, subs, len(raw), hash_bytes(raw))
                    head = _HEADS.get(identity)
                    if head is not None and head.held == held:  # the same objects, by `is`
                        return _HeadKeys(identity, None, held)
                    return self._content_keys(api, values, present, identity, held)
        return self._content_keys(api, values, present, None, ())

    def _content_keys(self, api: str, values: list[Any], present: tuple[bool, ...], identity: Any, held: tuple[str, ...]) -> _HeadKeys:
        raw = strict_dumps(values)
        if raw is None:
            return _NO_HEAD_KEYS
        content = (api, self.keep_text, present, len(raw), hash_bytes(raw))
        head = _HEADS.get(content)
        if identity is not None and head is not None and not head.has_identity:
            # Seen before with other objects (or built with these): from now on these objects
            # find it by identity. Once per entry, so that an application that rebuilds an equal
            # prompt string for every call does not fill the cache with one entry per string.
            head.has_identity = True
            _remember_derived(_HEADS, identity, _Head(head.section, held), _HEADS_MAX)
            return _HeadKeys(identity, content, held)
        return _HeadKeys(None, content, ())

    def _head(self, keys: _HeadKeys, build: Callable[[], None]) -> None:
        """The segments before the messages: copied from the head cache, or built (and cached)."""
        head = _HEADS.get(keys.identity if keys.identity is not None else keys.content)
        if head is not None:
            self._replay(head.section)
            return
        build()
        if keys.content is not None:
            section = self._capture(0, 0, 0)
            if section is not None:
                _remember_derived(_HEADS, keys.content, _Head(section), _HEADS_MAX)

    def head_and_messages(self, body: dict[str, Any], build_head: Callable[[], None], messages: Any, sent: bytes | None = None) -> None:
        """Everything before the messages (built by `build_head`), then the messages. When an
        earlier request had the same head and began with the same messages, all of that is copied
        from it at once. `sent`: the request's bytes as the SDK sent them, if known."""
        head = self._head_keys = self._head_keys_of(body)
        if isinstance(messages, (str, dict)):
            messages = [messages]
        if not isinstance(messages, (list, tuple)):
            messages = None
        run, k, hasher = None, 0, None
        if messages is not None and len(messages) > 1:
            key = _run_key(messages)
            raw, run, k, hasher = self._serialized_messages(key, body, messages, sent)
            self._pending = (key, raw, messages)
        if run is not None and head.same(run.head):
            self._copy_prefix(run, k)
            self._copied_prefix = True
        else:
            self._head(head, build_head)
            self.fp.msg_start = len(self.fp.hashes)
            self._block0 = self.block_count
            if run is not None:
                self._copy_messages(run, k)
        if run is not None:
            self._reused = (run, k, hasher)
        if messages is not None:
            self._add_messages(messages, k)

    def _serialized_messages(self, key: int, body: dict[str, Any], messages: list[Any] | tuple[Any, ...], sent: bytes | None) -> tuple[bytes | memoryview, _MessageRun | None, int, Any]:
        """The serialized message list and what _find_run finds for it.

        Serializing the whole list costs more than everything else on a repeated request (a
        quarter of a megabyte at 100k tokens). When the bytes the SDK sent are known and continue
        a run, the list is read from them instead: the run's messages are there when the bytes up
        to their end hash as the run's did, and only the messages after those are serialized, to
        check that they are there byte for byte. Anything else (no run, a sender that serialized
        a value otherwise, a body reshaped after the hook) serializes the list here."""
        if sent is not None and key in _RUNS:
            start = _sent_list(sent, body)
            if start >= 0:
                listed = memoryview(sent)[start:]
                run, k, hasher = _find_run(key, listed, self.keep_text)
                if run is not None:
                    end = _sent_list_end(sent, start, messages, run, k)
                    if end:
                        return listed[:end], run, k, hasher
        raw = dumps(messages)
        run, k, hasher = _find_run(key, raw, self.keep_text)
        return raw, run, k, hasher

    def _capture(self, seg0: int, block0: int, marks0: int) -> _Section | None:
        """The segments added since (seg0, block0, marks0), positions relative to those."""
        fp = self.fp
        marks = fp.breakpoints[marks0:]
        if any(bp.block == block0 for bp in marks):
            return None  # a marker ahead of the first tool sits on an earlier section's segment
        return _Section(
            keys=tuple(fp.keys[seg0:]),
            hashes=tuple(fp.hashes[seg0:]),
            sizes=tuple(fp.sizes[seg0:]),
            blocks=tuple(fp.blocks[seg0:]),
            texts=None if fp.texts is None else tuple(fp.texts[i] for i in range(seg0, len(fp.hashes))),
            chunks=tuple((i - seg0, j, c) for (i, j), c in fp.chunks.items() if i >= seg0),
            fields=tuple((i - seg0, f) for i, f in fp.fields.items() if i >= seg0),
            marks=tuple((bp.segment - seg0, bp.block - block0, bp.ttl) for bp in marks),
            n_blocks=self.block_count - block0,
        )

    def _replay(self, section: _Section) -> None:
        fp = self.fp
        seg0, block0 = len(fp.hashes), self.block_count
        fp.keys.extend(section.keys)
        fp.hashes.extend(section.hashes)
        fp.sizes.extend(section.sizes)
        fp.blocks.extend(section.blocks)
        if fp.texts is not None and section.texts is not None:
            for i, raw in enumerate(section.texts, seg0):
                fp.texts[i] = raw
        for i, j, c in section.chunks:
            fp.chunks[(seg0 + i, j)] = c
        for i, f in section.fields:
            fp.fields[seg0 + i] = f
        for i, block, ttl in section.marks:
            fp.breakpoints.append(Breakpoint(seg0 + i, block0 + block, ttl))
        self.block_count += section.n_blocks

    def system(self, system: Any) -> None:
        if system is None:
            return
        blocks = system if isinstance(system, (list, tuple)) else [system]
        n = 0
        for block in blocks:
            ttl = self._cache_point(block)
            if ttl:
                self._mark(ttl)
                continue
            block, ttl = self._strip(block)
            b = dumps(block)
            self.block_count += 1
            self._add((SYSTEM, n, None), hash_bytes(b, _SEED[SYSTEM]), len(b), 1, [b])
            if ttl:
                self._mark(ttl)
            n += 1

    def _add_messages(self, messages: list[Any] | tuple[Any, ...], start: int) -> None:
        """Append the segments of messages[start:].

        The hot loop of the whole companion (hundreds of messages on a conversation's first
        request): the common shape, a dict of "role" (a str) and "content" without breakpoint
        markers, is handled inline with local names; anything else goes through _message().
        """
        fp = self.fp
        keys, hashes, sizes, blocks, texts, chunks = fp.keys, fp.hashes, fp.sizes, fp.blocks, fp.texts, fp.chunks
        seed = _SEED[MESSAGES]
        for n in range(start, len(messages)):
            message = messages[n]
            if type(message) is dict and len(message) == 2:
                role = message.get("role")
                if type(role) is str and "content" in message:
                    content = message["content"]
                    k = 1
                    marked = False
                    if type(content) is list:
                        k = len(content) or 1
                        for x in content:
                            if type(x) is dict and ("cache_control" in x or "cachePoint" in x or "prompt_cache_breakpoint" in x or x.get("type") == "tool_result"):
                                marked = True
                                break
                    if not marked:
                        try:
                            b = dumps_fast(content)
                        except TypeError:
                            b = dumps(content)
                        h = hash_bytes(role.encode() + b, seed)
                        if texts is not None:
                            texts[len(hashes)] = [b]
                        if len(b) > _CHUNKED_ABOVE:
                            chunks[(len(hashes), 0)] = _chunk_hashes(h, b)
                        keys.append((MESSAGES, n, role))
                        hashes.append(h)
                        sizes.append(len(role) + len(b))
                        blocks.append(k)
                        self.block_count += k
                        continue
            self._message(n, message)

    def _message(self, n: int, message: Any) -> None:
        # Runs for every message of every request: one serialization of the content, no per-block
        # bookkeeping unless a block carries a breakpoint marker.
        if type(message) is dict and "content" in message:
            role = message.get("role")
            if len(message) == 2 and role is not None:
                header = str(role).encode()
            else:
                header = dumps({k: v for k, v in message.items() if k != "content"})
            content = message["content"]
        else:  # a plain string input, or an OpenAI Responses item without content (function_call, ...)
            header, content, role = b"item", message, None
        marks: list[str] = []
        n_blocks = 1
        if type(content) is list:
            n_blocks = len(content) or 1
            for block in content:
                if type(block) is dict and ("cache_control" in block or "cachePoint" in block or "prompt_cache_breakpoint" in block or block.get("type") == "tool_result"):
                    content = self._strip_content(content, marks)
                    n_blocks = len(content) or 1
                    break
        b = dumps(content)
        fp = self.fp
        i = len(fp.hashes)
        fp.keys.append((MESSAGES, n, role if type(role) is str else None))
        fp.hashes.append(hash_bytes(header + b, _SEED[MESSAGES]))
        fp.sizes.append(len(header) + len(b))
        fp.blocks.append(n_blocks)
        if fp.texts is not None:
            fp.texts[i] = [b]
        if len(b) > _CHUNKED_ABOVE:
            fp.chunks[(i, 0)] = _chunk_hashes(fp.hashes[-1], b)
        # Markers inside a message count at its last block: the lookback counts blocks, and
        # which message carries the breakpoint matters more than the block within it.
        self.block_count += n_blocks
        for ttl in marks:
            self._mark(ttl)

    def _copy_messages(self, run: _MessageRun, k: int) -> None:
        """Append the first k message segments of `run`, moved to this request's positions."""
        fp, src = self.fp, run.fp
        s0, end = src.msg_start, src.msg_start + k
        shift = fp.msg_start - s0
        fp.keys.extend(src.keys[s0:end])
        fp.hashes.extend(src.hashes[s0:end])
        fp.sizes.extend(src.sizes[s0:end])
        fp.blocks.extend(src.blocks[s0:end])
        if fp.texts is not None and src.texts is not None:
            for i in range(s0, end):
                fp.texts[i + shift] = src.texts[i]
        for (i, j), c in src.chunks.items():
            if s0 <= i < end:
                fp.chunks[(i + shift, j)] = c
        block_shift = self.block_count - run.block0
        for bp in src.breakpoints:
            if s0 <= bp.segment < end and not bp.auto:
                fp.breakpoints.append(Breakpoint(bp.segment + shift, bp.block + block_shift, bp.ttl))
        self.block_count += run.block_ends[k - run.count + 1] - run.block0

    def _copy_prefix(self, run: _MessageRun, k: int) -> None:
        """Start from `run`'s first segments, through its k-th message: the head is the same (equal
        head keys) and so are those messages (equal bytes), so every list is one slice of the
        run's, the chain included."""
        fp, src = self.fp, run.fp
        n = src.msg_start + k
        fp.keys, fp.hashes, fp.sizes, fp.blocks, fp.chain = src.keys[:n], src.hashes[:n], src.sizes[:n], src.blocks[:n], src.chain[:n]
        fp.msg_start = src.msg_start
        fp.fields = dict(src.fields)  # tools only, all in the head
        fp.chunks = dict(src.chunks) if n == len(src.hashes) else {key: c for key, c in src.chunks.items() if key[0] < n}
        fp.breakpoints = [bp for bp in src.breakpoints if bp.segment < n and not bp.auto]
        if src.texts is not None:
            fp.texts = {i: t for i, t in src.texts.items() if i < n}
        self._block0 = run.block0
        self.block_count = run.block_ends[k - run.count + 1]

    def _strip_content(self, content: list[Any], marks: list[str]) -> list[Any]:
        out = []
        for block in content:
            ttl = self._cache_point(block)
            if ttl is None:
                block, ttl = self._strip(block)
                out.append(block)
            if ttl:
                marks.append(ttl)
        return out

    def head(self, body: dict[str, Any], params: tuple[tuple[str, ...], ...], system: str | None) -> None:
        """The segments before the messages, in the order the provider reads them: the first
        params, the tools, the params after them, then the system text (`system`'s key, if any)
        and the params after it."""
        first, after_tools, after_system = params
        self.params(body, first)
        self.tools(body.get("tools"))
        self.params(body, after_tools)
        if system is not None:
            self.system(body.get(system))
        self.params(body, after_system)

    def params(self, body: dict[str, Any], names: tuple[str, ...]) -> None:
        for name in names:
            if name in body and body[name] is not None:
                self.param(name, body[name])

    def finish(self) -> Fingerprint:
        fp = self.fp
        hashes, chain = fp.hashes, fp.chain
        start = fp.msg_start
        reused = self._reused
        if not chain and reused is not None and hashes[:start] == reused[0].fp.hashes[: reused[0].fp.msg_start]:
            # Same segments before the messages, so the same chain through the copied ones.
            chain.extend(reused[0].fp.chain[: start + reused[1]])
        c = chain[-1] if chain else 0
        chain += [c := hash_bytes(_PACK(c, h)) for h in hashes[len(chain) :]]
        # The messages-only chain skips leading system/developer messages (OpenAI chat keeps its
        # system prompt there), so a changed system prompt still finds its conversation.
        while start < len(fp.keys) and fp.keys[start][2] in ("system", "developer"):
            start += 1
        fp.turn_start = start
        msg_chain = fp.msg_chain
        c = 0
        if reused is not None and reused[1] > start - fp.msg_start:
            # The copied messages include the first one after the skipped ones, so the skipped
            # ones are the same as in the run, and so is the chain over the copied rest.
            msg_chain = fp.msg_chain = reused[0].fp.msg_chain[: reused[1] - (start - fp.msg_start)]
            c = msg_chain[-1]
        msg_chain += [c := hash_bytes(_PACK(c, h)) for h in hashes[start + len(msg_chain) :]]
        if self._pending is not None:
            self._keep_run(*self._pending)
        return fp

    def _keep_run(self, key: int, raw: bytes | memoryview, messages: list[Any] | tuple[Any, ...]) -> None:
        """Keep this request's messages as the starting point for the next request's."""
        fp = self.fp
        reused = self._reused
        if reused is not None and reused[1] == reused[0].count == len(messages):
            # The same messages again: the stored run still describes them. When this request
            # had the same head and knows it by identity while the run does not yet (its request
            # came before the identity key was registered), a copy that does replaces it.
            run = reused[0]
            if self._copied_prefix and run.head.identity is None and self._head_keys.identity is not None:
                _store_run(key, _MessageRun(run.fp, self._head_keys, run.block0, run.count, run.ends, run.prefix_hashes, run.block_ends, run.keep_text), run)
            else:
                _touch_run(key)
            return
        last = dumps(messages[-1])
        end = len(raw) - 1
        cut = end - len(last) - 1
        if cut <= 0 or raw[cut] != _COMMA or bytes(raw[cut + 1 : end]) != last:  # bytes(): see _sent_list_end
            return  # the list's bytes are not its elements' bytes (a serializer fallback): no run
        view = memoryview(raw)
        fed = reused[0].ends[reused[1] - reused[0].count + 1] if reused is not None else 0
        if reused is not None and fed <= cut:
            hasher = reused[2]  # already fed up to the copied messages' end: feed only the rest
        else:
            hasher, fed = Hasher(), 0
        hasher.update(view[fed:cut])
        before_last = hasher.intdigest()
        hasher.update(view[cut:end])
        blocks = self.block_count
        run = _MessageRun(fp, self._head_keys, self._block0, len(messages), (cut, end), (before_last, hasher.intdigest()), (blocks - fp.blocks[-1], blocks), self.keep_text)
        _store_run(key, run, reused[0] if reused is not None else None)


def _tool_name(tool: Any) -> str | None:
    if type(tool) is not dict:
        return None
    for holder in (tool, tool.get("toolSpec"), tool.get("function")):
        if isinstance(holder, dict) and isinstance(holder.get("name"), str):
            return holder["name"]
    return None


def _tool_spec(tool: dict[str, Any]) -> tuple[Any, str]:
    if isinstance(tool.get("toolSpec"), dict):
        return tool["toolSpec"], ""
    if isinstance(tool.get("function"), dict):
        return tool["function"], "function."
    return tool, ""


def detect_api(body: dict[str, Any], provider: str | None = None) -> tuple[str, str]:
    """(provider, api) for a request body, from the provider hint and the body's keys."""
    if "modelId" in body or "toolConfig" in body or provider == "bedrock":
        if "body" in body:
            return "bedrock", "invoke"
        if "anthropic_version" in body:
            return "bedrock", "messages"
        return "bedrock", "converse"
    if provider == "openai" or "input" in body or "instructions" in body or _looks_like_chat(body):
        if "messages" not in body and ("input" in body or "instructions" in body):
            return "openai", "responses"
        return "openai", "chat"
    return provider or "anthropic", "messages"


def _looks_like_chat(body: dict[str, Any]) -> bool:
    messages = body.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        if messages[0].get("role") in ("system", "developer", "tool"):
            return True
    tools = body.get("tools")
    return isinstance(tools, list) and bool(tools) and isinstance(tools[0], dict) and tools[0].get("type") == "function" and "function" in tools[0]


def fingerprint(
    body: dict[str, Any],
    provider: str | None = None,
    *,
    api: str | None = None,
    model: str | None = None,
    keep_text: bool = False,
    sent: bytes | None = None,
) -> Fingerprint:
    """Segment and hash one request body (Anthropic, Bedrock Converse/InvokeModel, OpenAI).

    `sent`: the bytes an SDK sent for an Anthropic Messages `body` (its JSON serialization), when
    known: messages that an earlier request had are then found in those bytes instead of being
    serialized again. The result is the same as without them."""
    if not isinstance(body, dict):
        raise TypeError(f"a request body must be a dict, got {type(body).__name__}")
    if provider is None or api is None:  # adapters know both
        detected_provider, detected_api = detect_api(body, provider)
        provider = provider or detected_provider
        api = api or detected_api
    if api == "invoke":
        inner = body.get("body")
        parsed = loads(inner) if isinstance(inner, (bytes, bytearray, str)) else inner
        if not isinstance(parsed, dict):
            raise TypeError("InvokeModel `body` must be JSON bytes, a str or a dict")
        return fingerprint(parsed, provider, api="messages", model=body.get("modelId") or model, keep_text=keep_text)
    if api == "converse":
        b = _Builder(provider, api, model or body.get("modelId"), keep_text)

        def converse_head() -> None:
            first, _, after_system = _CONVERSE_PARAMS
            b.params(body, first)
            tool_config = body.get("toolConfig") if isinstance(body.get("toolConfig"), dict) else {}
            b.tools(tool_config.get("tools"))
            b.system(body.get("system"))
            if "toolChoice" in tool_config:
                b.param("toolChoice", tool_config["toolChoice"])
            b.params(body, tuple(n for n in after_system if n != "toolChoice"))

        b.head_and_messages(body, converse_head, body.get("messages"))
        b.fp.names = {TOOLS: "toolConfig.tools", SYSTEM: "system", MESSAGES: "messages"}
        return b.finish()
    if api == "chat":
        b = _Builder(provider, api, model or body.get("model"), keep_text)
        b.head_and_messages(body, lambda: b.head(body, _CHAT_PARAMS, None), body.get("messages"))
        return b.finish()
    if api == "responses":
        b = _Builder(provider, api, model or body.get("model"), keep_text)
        b.head_and_messages(body, lambda: b.head(body, _RESPONSES_PARAMS, "instructions"), body.get("input"))
        b.fp.names = {TOOLS: "tools", SYSTEM: "instructions", MESSAGES: "input"}
        b.fp.server_history = bool(body.get("previous_response_id") or body.get("conversation"))
        return b.finish()
    # Anthropic Messages, also the body inside Bedrock InvokeModel and on Vertex.
    b = _Builder(provider, "messages", model or body.get("model"), keep_text)
    b.head_and_messages(body, lambda: b.head(body, _ANTHROPIC_PARAMS, "system"), body.get("messages"), sent)
    top = body.get("cache_control")
    if isinstance(top, dict):
        # Automatic caching puts the breakpoint on the last cacheable block.
        b.fp.breakpoints.append(Breakpoint(max(len(b.fp.hashes) - 1, 0), b.block_count, top.get("ttl") or "default", auto=True))
    return b.finish()
