"""`watch(client)`: instrument an SDK client; the SDKs are imported only when used."""

from __future__ import annotations

import threading
import weakref
from typing import Any, TypeVar

from cachelint.runtime.adapters.base import Watcher
from cachelint.runtime.logsink import LogTarget, sink_for
from cachelint.runtime.tracker import PrefixTracker

T = TypeVar("T")

_default_tracker: PrefixTracker | None = None
_default_lock = threading.Lock()
# Every client watch() returned (or instrumented in place), with its watcher.
_watched: weakref.WeakKeyDictionary[Any, Watcher] = weakref.WeakKeyDictionary()


def default_tracker() -> PrefixTracker:
    """The process-wide tracker that `watch()` uses unless given one, so conversations are
    followed across clients and copies."""
    global _default_tracker
    with _default_lock:
        if _default_tracker is None:
            _default_tracker = PrefixTracker()
        return _default_tracker


def watch(
    client: T,
    *,
    conversation: str | None = None,
    log: LogTarget = None,
    on_drift: str = "warn",
    tracker: PrefixTracker | None = None,
) -> T:
    """Watch every request `client` sends and return the client to use.

    - anthropic `Anthropic`, `AsyncAnthropic`, `AnthropicBedrock`, `AnthropicVertex` (and async
      twins): a NEW client with cachelint's middleware, sharing the original's connection pool.
      Use the returned client.
    - boto3 `bedrock-runtime`: the same client, instrumented in place through botocore events
      (`converse`, `converse_stream`, `invoke_model`, `invoke_model_with_response_stream`).
    - openai `OpenAI`, `AsyncOpenAI`: the same client, instrumented in place
      (`chat.completions.create`, `responses.create`).

    `conversation` is the default conversation key (a `with cachelint.conversation(...)` block
    overrides it; without either, requests are grouped by shared prefix). `log` is a path, a
    text stream or a callable receiving one dict per call (default: $CACHELINT_LOG).
    `on_drift`: "warn" logs the drift report on the `cachelint` logger, "raise" raises
    PrefixDriftError before the request is sent, "ignore" only records it. Errors inside
    cachelint are logged and never reach the caller.
    """
    from cachelint.runtime.adapters import anthropic as anthropic_adapter
    from cachelint.runtime.adapters import bedrock as bedrock_adapter
    from cachelint.runtime.adapters import openai as openai_adapter

    tracker = tracker or default_tracker()
    sink = sink_for(log)
    if anthropic_adapter.is_anthropic_client(client):
        watcher = Watcher(tracker, conversation=conversation, sink=sink, on_drift=on_drift, provider=anthropic_adapter.platform_of(client))
        watched = anthropic_adapter.watch_anthropic(client, watcher)
    elif bedrock_adapter.is_bedrock_client(client):
        existing = _watched.get(client)
        if existing is not None:
            # botocore handlers are registered once per client; a second watch() updates them.
            existing.__init__(tracker, conversation=conversation, sink=sink, on_drift=on_drift, provider="bedrock")  # type: ignore[misc]
            return client
        watcher = Watcher(tracker, conversation=conversation, sink=sink, on_drift=on_drift, provider="bedrock")
        watched = bedrock_adapter.watch_bedrock(client, watcher)
    elif openai_adapter.is_openai_client(client):
        existing = _watched.get(client)
        if existing is not None:
            existing.__init__(tracker, conversation=conversation, sink=sink, on_drift=on_drift, provider="openai")  # type: ignore[misc]
            return client
        watcher = Watcher(tracker, conversation=conversation, sink=sink, on_drift=on_drift, provider="openai")
        watched = openai_adapter.watch_openai(client, watcher)
    else:
        raise TypeError(
            f"cachelint.watch() does not know {type(client).__module__}.{type(client).__name__}; it supports anthropic, "
            "openai and boto3 bedrock-runtime clients (use PrefixTracker.observe() for anything else)"
        )
    _watched[watched] = watcher
    return watched  # type: ignore[no-any-return]


def watcher_of(client: Any) -> Watcher | None:
    try:
        return _watched.get(client)
    except TypeError:
        return None
