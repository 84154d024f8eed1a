"""cachelint: find and watch prompt-cache busters in Python LLM code.

The static checker is the `cachelint` command. The runtime companion is imported from here
(`cachelint.watch`, `cachelint.PrefixTracker`, ...) and loads only when first used, so the command
line and the pytest plugin stay cheap to start.
"""

# `typing` (and `__future__`) are not imported: every `cachelint` command imports this module, and
# the start-up fast path (cachelint.fastpath) cannot pay 12 ms, as much as Python's own start-up.
# Type checkers treat a name TYPE_CHECKING as true wherever it comes from.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

_RUNTIME_EXPORTS = (
    "watch",
    "PrefixTracker",
    "DriftReport",
    "PrefixDriftError",
    "conversation",
    "assert_stable_prefix",
    "expect_stable_prefix",
)

__all__ = ["__version__", *_RUNTIME_EXPORTS]


def __getattr__(name: str) -> "Any":
    if name in _RUNTIME_EXPORTS:
        from cachelint import runtime

        return getattr(runtime, name)
    raise AttributeError(f"module 'cachelint' has no attribute {name!r}")
