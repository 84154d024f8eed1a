"""boto3 `bedrock-runtime` clients, in place, through botocore's event system.

- `provide-client-params` sees the caller's kwargs before anything is serialized or sent; an
  exception raised there propagates and nothing is sent, so assertion mode raises there (and only
  there). The handler returns None, which leaves the params untouched.
- `after-call` sees the parsed response: Converse `usage`, the InvokeModel usage headers (the
  body stays unread), and the ConverseStream / InvokeModelWithResponseStream event streams, which
  are wrapped so usage is read as the caller iterates.
- `after-call-error` closes the call when the request fails.
Handlers are registered with a `unique_id`, so watching a client twice is harmless. The context
dict botocore passes to every event of one call carries the Call between the events.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator

from cachelint.runtime.accounting import usage_from, usage_from_bedrock_headers
from cachelint.runtime.adapters.base import Watcher, finish_quietly
from cachelint.runtime.adapters.streams import usage_in_event
from cachelint.runtime.serialize import loads

logger = logging.getLogger("cachelint")

_OPERATIONS = {
    "Converse": ("converse", "converse"),
    "ConverseStream": ("converse", "converse_stream"),
    "InvokeModel": ("invoke", "invoke_model"),
    "InvokeModelWithResponseStream": ("invoke", "invoke_model_with_response_stream"),
}
_KEY = "cachelint_call"


def is_bedrock_client(client: Any) -> bool:
    meta = getattr(client, "meta", None)
    model = getattr(meta, "service_model", None)
    return getattr(model, "service_name", None) == "bedrock-runtime" and hasattr(meta, "events")


def watch_bedrock(client: Any, watcher: Watcher) -> Any:
    events = client.meta.events
    for operation, (api, op) in _OPERATIONS.items():
        events.register(
            f"provide-client-params.bedrock-runtime.{operation}",
            _before(watcher, api, op),
            unique_id=f"cachelint-before-{operation}",
        )
        events.register(f"after-call.bedrock-runtime.{operation}", _after_call, unique_id=f"cachelint-after-{operation}")
        events.register(f"after-call-error.bedrock-runtime.{operation}", _after_error, unique_id=f"cachelint-error-{operation}")
    return client


def _before(watcher: Watcher, api: str, op: str) -> Any:
    def handler(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        body = params
        if api == "invoke":
            raw = params.get("body")
            if not isinstance(raw, (bytes, bytearray, str)):
                return None  # a file-like body would be consumed by reading it
            try:
                body = {"modelId": params.get("modelId"), "body": loads(raw)}
            except Exception:
                return None  # not JSON: not a model body we can segment
        call = watcher.begin(body, op=op, api=api)  # may raise PrefixDriftError: nothing sent yet
        if call is not None:
            context[_KEY] = call
        return None

    return handler


def _after_call(http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    call = context.pop(_KEY, None)
    if call is None:
        return
    try:
        status = getattr(http_response, "status_code", 200)
        if status >= 400:
            finish_quietly(call, error=f"HTTP {status}")
            return
        if isinstance(parsed.get("usage"), dict):
            finish_quietly(call, usage_from(parsed["usage"]))
        elif parsed.get("stream") is not None:
            parsed["stream"] = EventStreamTap(parsed["stream"], call)
        elif call.op == "invoke_model_with_response_stream" and parsed.get("body") is not None:
            parsed["body"] = EventStreamTap(parsed["body"], call)
        else:
            finish_quietly(call, usage_from_bedrock_headers(getattr(http_response, "headers", {}) or {}))
    except Exception:
        call.tracker.errors("cachelint: cannot read usage from the response")
        finish_quietly(call)


def _after_error(context: dict[str, Any], exception: BaseException | None = None, **_: Any) -> None:
    finish_quietly(context.pop(_KEY, None), error=exception or "error")


class EventStreamTap:
    """Iterates a botocore EventStream for the caller and reads usage from the events it passes:
    the ConverseStream `metadata` event, or InvokeModel stream chunks (Claude events, base64)."""

    def __init__(self, inner: Any, call: Any) -> None:
        self._inner = inner
        self._call = call
        self._usage: dict[str, Any] = {}

    def __iter__(self) -> Iterator[Any]:
        try:
            for event in self._inner:
                self._scan(event)
                yield event
        finally:
            finish_quietly(self._call, usage_from(self._usage) if self._usage else None)

    def _scan(self, event: Any) -> None:
        try:
            chunk = event.get("chunk") if isinstance(event, dict) else None
            if isinstance(chunk, dict) and isinstance(chunk.get("bytes"), (bytes, bytearray)):
                usage_in_event(loads(chunk["bytes"]), self._usage)
            else:
                usage_in_event(event, self._usage)
        except Exception:
            logger.debug("cachelint: cannot read a stream event", exc_info=True)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            finish_quietly(self._call, usage_from(self._usage) if self._usage else None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
