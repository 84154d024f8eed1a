"""Provider facts (minimum cacheable tokens, breakpoint limits, TTLs, prices) loaded from YAML.

The numbers change faster than code, so they live in `rules/providers.yaml`, each entry with its
source URL and date. Both the runtime companion (money, below-minimum checks) and the static rules
read them through `load_provider_facts()`; bad data raises `DataError` naming the file and line.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cachelint.rulefiles import rules_dir
from cachelint.yamlfile import DataError, Doc, load_yaml_file

PROVIDERS = ("anthropic", "bedrock", "openai")
TTLS = ("5m", "1h", "30m", "in_memory", "24h")
TTL_SECONDS = {"5m": 300, "1h": 3600, "30m": 1800, "in_memory": 300, "24h": 86400}
SEGMENTS = ("tools", "system", "messages")
_ENTRY_KEYS = {
    "provider", "match", "min-tokens", "max-breakpoints", "lookback-blocks", "cacheable-segments", "marker-blocks",
    "cachepoint-not-after", "ttls", "price", "source", "date",
}
_OPTIONAL_KEYS = {"lookback-blocks", "cacheable-segments", "marker-blocks", "cachepoint-not-after"}
_PRICE_KEYS = {"input", "cache-read", "cache-write-5m", "cache-write-1h"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Price:
    """USD per million base input tokens (None when unknown) and the cache multipliers."""

    input: float | None
    cache_read: float
    cache_write_5m: float
    cache_write_1h: float

    def per_token(self, multiplier: float) -> float | None:
        return None if self.input is None else self.input * multiplier / 1_000_000


@dataclass(frozen=True)
class ModelFacts:
    provider: str
    patterns: tuple[str, ...]
    min_tokens_low: int
    min_tokens_high: int
    max_breakpoints: int
    lookback_blocks: int
    cacheable_segments: tuple[str, ...]
    marker_blocks: tuple[str, ...]  # block types that take a `prompt_cache_breakpoint` (OpenAI-style models)
    cachepoint_not_after: tuple[str, ...]  # Converse block types a `cachePoint` must not directly follow
    cachepoint_not_after_source: str | None
    ttls: tuple[str, ...]
    price: Price
    source: str
    date: str
    filename: str
    line: int | None

    @property
    def known(self) -> bool:
        """The entry names this model; a catch-all `*` entry only gives the widest plausible range."""
        return "*" not in self.patterns

    @property
    def where(self) -> str:
        """`file:line` of the entry, so a user can see (and override) where a number came from."""
        return f"{self.filename}:{self.line}" if self.line else self.filename


@dataclass(frozen=True)
class ProviderFacts:
    entries: tuple[ModelFacts, ...]

    def lookup(self, provider: str, model: str | None) -> ModelFacts | None:
        """The first entry of `provider` whose pattern matches `model` (lower-cased)."""
        name = (model or "").lower()
        for entry in self.entries:
            if entry.provider == provider and any(fnmatch.fnmatchcase(name, p) for p in entry.patterns):
                return entry
        return None


def load_provider_facts(extra: list[Path] | tuple[Path, ...] = ()) -> ProviderFacts:
    """The user's files (first, so they win) followed by the shipped `rules/providers.yaml`."""
    return _load(tuple(Path(p) for p in extra))


@lru_cache(maxsize=8)
def _load(extra: tuple[Path, ...]) -> ProviderFacts:
    entries: list[ModelFacts] = []
    for path in (*extra, rules_dir() / "providers.yaml"):
        entries.extend(parse_provider_doc(load_yaml_file(path)))
    return ProviderFacts(tuple(entries))


def parse_provider_doc(doc: Doc) -> list[ModelFacts]:
    """Validate one providers document; raise DataError at the first bad value."""
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("models"), list):
        raise doc.error(("models",), "expected a top-level `models:` list")
    unknown = sorted(set(doc.data) - {"version", "models"})
    if unknown:
        raise doc.error((unknown[0],), f"unknown top-level key `{unknown[0]}`; allowed: models, version")
    return [_entry(doc, ("models", i), e) for i, e in enumerate(doc.data["models"])]


def _entry(doc: Doc, path: tuple[Any, ...], e: Any) -> ModelFacts:
    where = f"models[{path[1]}]"
    if not isinstance(e, dict):
        raise doc.error(path, f"{where}: expected a mapping with keys {', '.join(sorted(_ENTRY_KEYS))}")
    unknown = sorted(set(e) - _ENTRY_KEYS)
    if unknown:
        raise doc.error(path + (unknown[0],), f"{where}: unknown key `{unknown[0]}`; allowed: {', '.join(sorted(_ENTRY_KEYS))}")
    missing = sorted(_ENTRY_KEYS - _OPTIONAL_KEYS - set(e))
    if missing:
        raise doc.error(path, f"{where}: missing required key `{missing[0]}`")
    provider = e["provider"]
    if provider not in PROVIDERS:
        raise doc.error(path + ("provider",), f"{where}: `provider` must be one of {', '.join(PROVIDERS)}, got {provider!r}")
    patterns = e["match"]
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p for p in patterns):
        raise doc.error(path + ("match",), f"{where}: `match` must be a non-empty list of glob patterns")
    low, high = _min_tokens(doc, path + ("min-tokens",), e["min-tokens"], where)
    segments = e.get("cacheable-segments", list(SEGMENTS))
    if not isinstance(segments, list) or any(s not in SEGMENTS for s in segments):
        raise doc.error(path + ("cacheable-segments",), f"{where}: `cacheable-segments` must be a list of {', '.join(SEGMENTS)}, got {segments!r}")
    marker_blocks = _names(doc, path + ("marker-blocks",), e.get("marker-blocks", []), where)
    not_after, not_after_source = _not_after(doc, path + ("cachepoint-not-after",), e.get("cachepoint-not-after"), where)
    ttls = e["ttls"]
    if not isinstance(ttls, list) or not ttls or any(t not in TTLS for t in ttls):
        raise doc.error(path + ("ttls",), f"{where}: `ttls` must be a non-empty list of {', '.join(TTLS)}, got {ttls!r}")
    source = e["source"]
    if not isinstance(source, str) or not source.startswith(("https://", "http://")):
        raise doc.error(path + ("source",), f"{where}: `source` must be the URL the numbers come from")
    return ModelFacts(
        provider=provider,
        patterns=tuple(p.lower() for p in patterns),
        min_tokens_low=low,
        min_tokens_high=high,
        max_breakpoints=_count(doc, path + ("max-breakpoints",), e["max-breakpoints"], where),
        lookback_blocks=_count(doc, path + ("lookback-blocks",), e.get("lookback-blocks", 20), where),
        cacheable_segments=tuple(segments),
        marker_blocks=marker_blocks,
        cachepoint_not_after=not_after,
        cachepoint_not_after_source=not_after_source,
        ttls=tuple(ttls),
        price=_price(doc, path + ("price",), e["price"], where),
        source=source,
        date=_date(doc, path + ("date",), e["date"], where),
        filename=doc.filename,
        line=doc.line(path),
    )


def _names(doc: Doc, path: tuple[Any, ...], value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise doc.error(path, f"{where}: `{path[-1]}` must be a list of block type names, got {value!r}")
    return tuple(value)


def _not_after(doc: Doc, path: tuple[Any, ...], value: Any, where: str) -> tuple[tuple[str, ...], str | None]:
    """`cachepoint-not-after: {blocks: [...], source: URL}`: a placement fact with its own evidence."""
    if value is None:
        return (), None
    if not isinstance(value, dict) or set(value) != {"blocks", "source"}:
        raise doc.error(path, f"{where}: `cachepoint-not-after` must be a mapping with `blocks` and `source`")
    source = value["source"]
    if not isinstance(source, str) or not source.startswith(("https://", "http://")):
        raise doc.error(path + ("source",), f"{where}: `cachepoint-not-after.source` must be the URL of the evidence")
    return _names(doc, path + ("blocks",), value["blocks"], where), source


def _count(doc: Doc, path: tuple[Any, ...], value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise doc.error(path, f"{where}: `{path[-1]}` must be a non-negative integer, got {value!r}")
    return value


def _min_tokens(doc: Doc, path: tuple[Any, ...], value: Any, where: str) -> tuple[int, int]:
    if isinstance(value, list) and len(value) == 2:
        low, high = (_count(doc, path + (i,), v, where) for i, v in enumerate(value))
        if low > high:
            raise doc.error(path, f"{where}: `min-tokens` range must be [low, high], got {value!r}")
        return low, high
    if isinstance(value, list):
        raise doc.error(path, f"{where}: `min-tokens` must be an integer or a [low, high] pair")
    n = _count(doc, path, value, where)
    return n, n


def _price(doc: Doc, path: tuple[Any, ...], value: Any, where: str) -> Price:
    if not isinstance(value, dict):
        raise doc.error(path, f"{where}: `price` must be a mapping with keys {', '.join(sorted(_PRICE_KEYS))}")
    unknown = sorted(set(value) - _PRICE_KEYS)
    if unknown:
        raise doc.error(path + (unknown[0],), f"{where}: unknown price key `{unknown[0]}`; allowed: {', '.join(sorted(_PRICE_KEYS))}")
    missing = sorted(_PRICE_KEYS - set(value))
    if missing:
        raise doc.error(path, f"{where}: missing price key `{missing[0]}`")
    numbers: dict[str, float | None] = {}
    for key in sorted(_PRICE_KEYS):
        v = value[key]
        if v is None and key == "input":
            numbers[key] = None
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise doc.error(path + (key,), f"{where}: `price.{key}` must be a non-negative number, got {v!r}")
        numbers[key] = float(v)
    return Price(
        input=numbers["input"],
        cache_read=numbers["cache-read"] or 0.0,
        cache_write_5m=numbers["cache-write-5m"] or 0.0,
        cache_write_1h=numbers["cache-write-1h"] or 0.0,
    )


def _date(doc: Doc, path: tuple[Any, ...], value: Any, where: str) -> str:
    # YAML turns an unquoted 2026-05-04 into a date object; accept both spellings.
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value):
        return value
    raise doc.error(path, f"{where}: `date` must be YYYY-MM-DD, got {value!r}")


__all__ = ["DataError", "ModelFacts", "Price", "ProviderFacts", "TTL_SECONDS", "load_provider_facts", "parse_provider_doc"]
