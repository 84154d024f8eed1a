"""Per-task state: the current conversation key and any active `expect_stable_prefix` block.

contextvars, not thread-locals, so each asyncio task sees its own values: two tasks running
`with cachelint.conversation(...)` concurrently never see each other's key.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import Iterator

_conversation: contextvars.ContextVar[str | None] = contextvars.ContextVar("cachelint_conversation", default=None)
_strict: contextvars.ContextVar[int] = contextvars.ContextVar("cachelint_strict", default=0)


@contextmanager
def conversation(key: str) -> Iterator[str]:
    """Attribute every watched request inside the block to conversation `key`.

    >>> with cachelint.conversation("ticket-4711"):
    ...     client.messages.create(...)
    """
    token = _conversation.set(str(key))
    try:
        yield str(key)
    finally:
        _conversation.reset(token)


def current_conversation() -> str | None:
    return _conversation.get()


@contextmanager
def strict() -> Iterator[None]:
    """Inside the block, watched clients raise PrefixDriftError on drift whatever their on_drift."""
    token = _strict.set(_strict.get() + 1)
    try:
        yield
    finally:
        _strict.reset(token)


def is_strict() -> bool:
    return _strict.get() > 0
