"""Runtime companion: watch real requests, name the segment that drifted, account for the cache.

Names load on first use, so importing the package (as the pytest plugin does) costs nothing; the
SDKs are optional and imported only when a client of theirs is watched.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ConversationStats": "cachelint.runtime.tracker",
    "DriftReport": "cachelint.runtime.drift",
    "Fingerprint": "cachelint.runtime.segments",
    "PrefixDriftError": "cachelint.runtime.errors",
    "PrefixTracker": "cachelint.runtime.tracker",
    "Usage": "cachelint.runtime.accounting",
    "assert_stable_prefix": "cachelint.runtime.assertions",
    "conversation": "cachelint.runtime.context",
    "default_tracker": "cachelint.runtime.instrument",
    "expect_stable_prefix": "cachelint.runtime.assertions",
    "fingerprint": "cachelint.runtime.segments",
    "watch": "cachelint.runtime.instrument",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cachelint.runtime' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
