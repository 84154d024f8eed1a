"""Usage fields of every provider, normalized, and what they cost.

Anthropic and Bedrock count uncached input apart from cache reads and writes; OpenAI's
`prompt_tokens`/`input_tokens` include the cached tokens. `Usage` always holds the uncached part
separately, so `total_input = uncached + read + write` for every provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from cachelint.providers import ModelFacts


@dataclass(frozen=True)
class Usage:
    uncached: int = 0
    read: int = 0
    write_5m: int = 0
    write_1h: int = 0
    output: int = 0

    @property
    def write(self) -> int:
        return self.write_5m + self.write_1h

    @property
    def total_input(self) -> int:
        return self.uncached + self.read + self.write

    @property
    def hit_rate(self) -> float:
        return self.read / self.total_input if self.total_input else 0.0

    def to_dict(self) -> dict[str, int]:
        return {"uncached": self.uncached, "read": self.read, "write_5m": self.write_5m, "write_1h": self.write_1h, "output": self.output}

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.uncached + other.uncached,
            self.read + other.read,
            self.write_5m + other.write_5m,
            self.write_1h + other.write_1h,
            self.output + other.output,
        )


def _int(value: Any) -> int:
    if type(value) is int:  # nearly always: skips the two isinstance calls below
        return value
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def usage_from(data: Any) -> Usage | None:
    """Normalize any provider's usage mapping (or SDK usage object); None if it is not one."""
    if data is None:
        return None
    if type(data) is not dict and not isinstance(data, Mapping):
        dump = getattr(data, "model_dump", None)
        if not callable(dump):
            return None
        data = dump()
    if "cache_read_input_tokens" in data or "cache_creation_input_tokens" in data or (
        "input_tokens" in data and "input_tokens_details" not in data and "output_tokens" in data and "total_tokens" not in data
    ):
        return _anthropic(data)
    if "inputTokens" in data or "cacheReadInputTokens" in data:
        return _bedrock(data)
    if "inputTokenCount" in data or "cacheReadInputTokenCount" in data:
        return _bedrock_metrics(data)
    if "prompt_tokens" in data or "input_tokens" in data:
        return _openai(data)
    return None


def _anthropic(d: Mapping[str, Any]) -> Usage:
    write = _int(d.get("cache_creation_input_tokens"))
    split = d.get("cache_creation")
    if split is None or not isinstance(split, Mapping):
        split = {}
    one_hour = _int(split.get("ephemeral_1h_input_tokens"))
    five = _int(split.get("ephemeral_5m_input_tokens")) if split else write - one_hour
    if five + one_hour != write:  # older responses have no split: count it all as 5-minute writes
        five, one_hour = write - one_hour, one_hour
    return Usage(_int(d.get("input_tokens")), _int(d.get("cache_read_input_tokens")), five, one_hour, _int(d.get("output_tokens")))


def _bedrock(d: Mapping[str, Any]) -> Usage:
    write = _int(d.get("cacheWriteInputTokens"))
    one_hour = sum(_int(x.get("inputTokens")) for x in d.get("cacheDetails") or () if isinstance(x, Mapping) and x.get("ttl") == "1h")
    return Usage(_int(d.get("inputTokens")), _int(d.get("cacheReadInputTokens")), write - one_hour, one_hour, _int(d.get("outputTokens")))


def _bedrock_metrics(d: Mapping[str, Any]) -> Usage:
    # `amazon-bedrock-invocationMetrics` on InvokeModel streams, and the InvokeModel headers.
    return Usage(
        _int(d.get("inputTokenCount")),
        _int(d.get("cacheReadInputTokenCount")),
        _int(d.get("cacheWriteInputTokenCount")),
        0,
        _int(d.get("outputTokenCount")),
    )


def usage_from_bedrock_headers(headers: Mapping[str, str]) -> Usage | None:
    """InvokeModel reports usage in response headers, so the streaming body stays unread."""
    def get(name: str) -> int:
        value = headers.get(f"x-amzn-bedrock-{name}")
        return int(value) if value and str(value).isdigit() else 0

    if headers.get("x-amzn-bedrock-input-token-count") is None:
        return None
    return Usage(get("input-token-count"), get("cache-read-input-token-count"), get("cache-write-input-token-count"), 0, get("output-token-count"))


def _openai(d: Mapping[str, Any]) -> Usage:
    chat = "prompt_tokens" in d
    total = _int(d.get("prompt_tokens" if chat else "input_tokens"))
    details = d.get("prompt_tokens_details" if chat else "input_tokens_details")
    details = details if isinstance(details, Mapping) else {}
    read = _int(details.get("cached_tokens"))
    write = _int(details.get("cache_write_tokens")) or _int(d.get("cache_write_tokens"))
    output = _int(d.get("completion_tokens" if chat else "output_tokens"))
    # GPT-5.6+ writes last 30 minutes at least; they are billed like Anthropic's 5-minute writes.
    return Usage(max(total - read - write, 0), read, write, 0, output)


def merge_stream_usage(current: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """Anthropic streams: message_start has the input and cache counts, message_delta cumulative
    counts where the cache fields are optional; later non-null values win."""
    for key, value in update.items():
        if value is not None:
            current[key] = value
    return current


@dataclass(frozen=True)
class Cost:
    actual: float
    no_cache: float  # the same tokens with no caching at all
    lost: float  # what misses and drift cost against a working cache


def cost_of(usage: Usage, facts: ModelFacts | None) -> Cost | None:
    """Input-side money for one call; None when the model's input price is unknown."""
    prices = input_cost(usage, facts)
    return None if prices is None else Cost(actual=prices[0], no_cache=prices[1], lost=0.0)


def input_cost(usage: Usage, facts: ModelFacts | None) -> tuple[float, float] | None:
    """(actual, with no caching at all) in USD, or None without a price: `cost_of` without
    building a Cost, for the tracker's per-call totals."""
    if facts is None:
        return None
    p = facts.price
    if p.input is None:
        return None
    unit = p.input / 1_000_000
    actual = unit * (usage.uncached + p.cache_read * usage.read + p.cache_write_5m * usage.write_5m + p.cache_write_1h * usage.write_1h)
    return actual, unit * (usage.uncached + usage.read + usage.write_5m + usage.write_1h)


def miss_premium(facts: ModelFacts | None, ttl: str = "5m") -> float | None:
    """USD per token paid extra when a prefix that should have been read is written (or, with no
    write fee, sent uncached) instead."""
    if facts is None or facts.price.input is None:
        return None
    p = facts.price
    write = p.cache_write_1h if ttl == "1h" else p.cache_write_5m
    return p.input / 1_000_000 * (write - p.cache_read)
