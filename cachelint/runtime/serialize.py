"""Compact JSON bytes with key order preserved, and the hash used for every segment.

Providers compare the rendered prefix byte for byte, so keys are never sorted here: a dict whose
keys arrive in a different order is a different prefix. orjson is about ten times faster than the
standard library on a large request (0.4 ms against 4.6 ms for 100k tokens); the fallback keeps
the companion working where orjson is missing. Both produce the same bytes for ordinary JSON, but
hashes are only compared within one process or one log, where a single serializer is in use.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable

import xxhash

HASH_NAME = "xxh3_64"
hash_bytes: Callable[..., int] = xxhash.xxh3_64_intdigest


def _default(value: Any) -> Any:
    # SDK params can hold pydantic models and sentinels; never call str()/repr() here, because an
    # object's repr often holds its memory address, which would look like drift on every call.
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(exclude_unset=True)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return f"<{type(value).__name__}>"


try:
    import orjson

    # A partial of the C function: this runs once per segment, hundreds of times per request.
    dumps: Callable[[Any], bytes] = functools.partial(orjson.dumps, default=_default, option=orjson.OPT_NON_STR_KEYS)

    loads: Callable[[bytes | str], Any] = orjson.loads
    SERIALIZER = "orjson"
except ImportError:  # pragma: no cover - exercised only without orjson
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default)

    def dumps(value: Any) -> bytes:
        """Compact JSON bytes of `value`, keys in insertion order."""
        return _encoder.encode(value).encode("utf-8")

    loads = json.loads
    SERIALIZER = "json"


def hex64(value: int) -> str:
    return f"{value:016x}"
