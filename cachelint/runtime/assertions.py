"""Assertion mode: fail loudly, in tests and CI, when the cached prefix drifts."""

from __future__ import annotations

import functools
import inspect
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar, overload

from cachelint.runtime.context import strict
from cachelint.runtime.errors import PrefixDriftError
from cachelint.runtime.segments import detect_api
from cachelint.runtime.tracker import PrefixTracker
from cachelint.runtime.instrument import watch, watcher_of

F = TypeVar("F", bound=Callable[..., Any])


def _looks_like_request(value: Any) -> bool:
    return isinstance(value, dict) and any(k in value for k in ("messages", "system", "tools", "input", "instructions", "modelId", "toolConfig"))


@overload
def assert_stable_prefix(func: F) -> F: ...


@overload
def assert_stable_prefix(*, provider: str | None = None, keep_text: bool = True) -> Callable[[F], F]: ...


def assert_stable_prefix(func: Any = None, *, provider: str | None = None, keep_text: bool = True) -> Any:
    """Raise PrefixDriftError when consecutive calls of the decorated function drift.

    On a function that *returns request kwargs* (a dict with messages/system/tools, a Bedrock
    Converse or OpenAI body), each return value is compared with the previous one, as one
    conversation: an append-only history passes, anything else raises. On a function that *calls
    a watched client*, every watched request inside it is checked against its conversation and
    drift raises before the request is sent. Works on async functions too. Text is kept (for the
    diff in the error) because this is meant for tests; pass keep_text=False otherwise.
    """

    def decorate(fn: F) -> F:
        tracker = PrefixTracker(keep_text=keep_text, max_conversations=8)
        key = f"{fn.__module__}.{fn.__qualname__}"

        def check(result: Any) -> Any:
            if _looks_like_request(result):
                hint = provider or detect_api(result)[0]
                call = tracker.begin(result, provider=hint, conversation=key, blocking=True)
                call.finish()
                if call.drift is not None:
                    raise PrefixDriftError(call.drift)
            return result

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with strict():
                    return check(await fn(*args, **kwargs))

            async_wrapper.cachelint_tracker = tracker  # type: ignore[attr-defined]
            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with strict():
                return check(fn(*args, **kwargs))

        wrapper.cachelint_tracker = tracker  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate(func) if func is not None else decorate


@contextmanager
def expect_stable_prefix(client: Any = None) -> Iterator[Any]:
    """Inside the block, any drift seen by a watched client raises PrefixDriftError before the
    request is sent. Yields the client to use: boto3 and openai clients are watched in place if
    they were not yet; an anthropic client must be one returned by `cachelint.watch()` (watching
    returns a new client), otherwise a watched copy is yielded.

    >>> with cachelint.expect_stable_prefix(client) as client:
    ...     agent.run(client)
    """
    if client is not None and watcher_of(client) is None:
        client = watch(client)
    with strict():
        yield client


__all__ = ["PrefixDriftError", "assert_stable_prefix", "expect_stable_prefix"]
