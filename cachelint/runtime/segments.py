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
from dataclasses import dataclass, field
from typing import Any

from cachelint.runtime.serialize import dumps, hash_bytes, loads

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

    def block_end(self, i: int) -> int:
        """Blocks up to and including segment i."""
        return sum(self.blocks[: i + 1])


# Derived hashes (a tool's per-field hashes, a long segment's 1 KiB chunk hashes) depend only on
# the segment's bytes, so they are cached by segment hash: a tool or system prompt sent on every
# call is split once, not on every call. Bounded; cleared when full.
_DERIVED_MAX = 4096
_FIELDS: dict[int, tuple[tuple[str, int], ...]] = {}
_CHUNKS: dict[int, tuple[int, ...]] = {}


def _remember_derived(cache: dict[int, Any], key: int, value: Any) -> None:
    if len(cache) >= _DERIVED_MAX:
        cache.clear()
    cache[key] = value


def _chunk_hashes(segment_hash: int, b: bytes) -> tuple[int, ...]:
    found = _CHUNKS.get(segment_hash)
    if found is None:
        view = memoryview(b)
        found = tuple(hash_bytes(view[o : o + _CHUNK]) for o in range(0, len(b), _CHUNK))
        _remember_derived(_CHUNKS, segment_hash, found)
    return found


class _Builder:
    def __init__(self, provider: str, api: str, model: str | None, keep_text: bool) -> None:
        self.fp = Fingerprint(provider=provider, api=api, model=model, texts={} if keep_text else None)
        self.block_count = 0

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
        if block.get("type") == "tool_result" and isinstance(block.get("content"), list):
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

    def messages(self, messages: Any) -> None:
        fp = self.fp
        fp.msg_start = len(fp.hashes)
        if isinstance(messages, (str, dict)):
            messages = [messages]
        if not isinstance(messages, (list, tuple)):
            return
        # The hot loop of the whole companion (hundreds of messages per request): the common
        # shape {"role", "content"} without markers is handled inline with local names; anything
        # else goes through _message().
        keys, hashes, sizes, blocks, texts, chunks = fp.keys, fp.hashes, fp.sizes, fp.blocks, fp.texts, fp.chunks
        seed = _SEED[MESSAGES]
        for n, message in enumerate(messages):
            if type(message) is not dict or len(message) != 2 or type(message.get("role")) is not str or "content" not in message:
                self._message(n, message)
                continue
            content = message["content"]
            n_blocks = 1
            if type(content) is list:
                n_blocks = len(content) or 1
                marked = False
                for x in content:
                    if type(x) is dict and ("cache_control" in x or "cachePoint" in x or "prompt_cache_breakpoint" in x or x.get("type") == "tool_result"):
                        marked = True
                        break
                if marked:
                    self._message(n, message)
                    continue
            role = message["role"]
            b = dumps(content)
            i = len(hashes)
            keys.append((MESSAGES, n, role))
            hashes.append(hash_bytes(role.encode() + b, seed))
            sizes.append(len(role) + len(b))
            blocks.append(n_blocks)
            if texts is not None:
                texts[i] = [b]
            if len(b) > _CHUNKED_ABOVE:
                chunks[(i, 0)] = _chunk_hashes(hashes[-1], b)
            self.block_count += n_blocks

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

    def params(self, body: dict[str, Any], names: tuple[str, ...]) -> None:
        for name in names:
            if name in body and body[name] is not None:
                self.param(name, body[name])

    def finish(self) -> Fingerprint:
        fp = self.fp
        chain = 0
        for h in fp.hashes:
            chain = hash_bytes(_PACK(chain, h))
            fp.chain.append(chain)
        # The messages-only chain skips leading system/developer messages (OpenAI chat keeps its
        # system prompt there), so a changed system prompt still finds its conversation.
        start = fp.msg_start
        while start < len(fp.keys) and fp.keys[start][2] in ("system", "developer"):
            start += 1
        chain = 0
        for h in fp.hashes[start:]:
            chain = hash_bytes(_PACK(chain, h))
            fp.msg_chain.append(chain)
        return fp


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
) -> Fingerprint:
    """Segment and hash one request body (Anthropic, Bedrock Converse/InvokeModel, OpenAI)."""
    if not isinstance(body, dict):
        raise TypeError(f"a request body must be a dict, got {type(body).__name__}")
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
        first, _, after_system = _CONVERSE_PARAMS
        b.params(body, first)
        tool_config = body.get("toolConfig") if isinstance(body.get("toolConfig"), dict) else {}
        b.tools(tool_config.get("tools"))
        b.system(body.get("system"))
        b.params(body, ())
        if "toolChoice" in tool_config:
            b.param("toolChoice", tool_config["toolChoice"])
        b.params(body, tuple(n for n in after_system if n != "toolChoice"))
        b.messages(body.get("messages"))
        b.fp.names = {TOOLS: "toolConfig.tools", SYSTEM: "system", MESSAGES: "messages"}
        return b.finish()
    if api == "chat":
        b = _Builder(provider, api, model or body.get("model"), keep_text)
        first, after_tools, _ = _CHAT_PARAMS
        b.params(body, first)
        b.tools(body.get("tools"))
        b.params(body, after_tools)
        b.messages(body.get("messages"))
        return b.finish()
    if api == "responses":
        b = _Builder(provider, api, model or body.get("model"), keep_text)
        first, after_tools, _ = _RESPONSES_PARAMS
        b.params(body, first)
        b.tools(body.get("tools"))
        b.params(body, after_tools)
        b.system(body.get("instructions"))
        b.messages(body.get("input"))
        b.fp.names = {TOOLS: "tools", SYSTEM: "instructions", MESSAGES: "input"}
        b.fp.server_history = bool(body.get("previous_response_id") or body.get("conversation"))
        return b.finish()
    # Anthropic Messages, also the body inside Bedrock InvokeModel and on Vertex.
    b = _Builder(provider, "messages", model or body.get("model"), keep_text)
    first, after_tools, after_system = _ANTHROPIC_PARAMS
    b.params(body, first)
    b.tools(body.get("tools"))
    b.params(body, after_tools)
    b.system(body.get("system"))
    b.params(body, after_system)
    b.messages(body.get("messages"))
    top = body.get("cache_control")
    if isinstance(top, dict):
        # Automatic caching puts the breakpoint on the last cacheable block.
        b.fp.breakpoints.append(Breakpoint(max(len(b.fp.hashes) - 1, 0), b.block_count, top.get("ttl") or "default", auto=True))
    return b.finish()
