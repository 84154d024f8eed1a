"""anthropic SDK (Anthropic, AsyncAnthropic, AnthropicBedrock, AnthropicVertex and their async
twins) through the SDK's own middleware API.

Middleware runs once per HTTP attempt, sees the prepared body as plain dicts (before Bedrock and
Vertex move the model into the URL), and what it raises reaches the caller before anything is
sent, which makes it the one safe place for assertion mode. The middleware chain is fixed when a
client is built, so `watch()` returns a new client (`with_middleware`) sharing the original's
connection pool. It covers `messages.create`, `messages.stream` and `beta.messages.*`.

When drift cannot raise (on_drift "warn" or "ignore", outside `expect_stable_prefix`), a request
is checked just after it is sent rather than just before: the SDK has serialized the body by then,
and most of those bytes need not be serialized again (segments.fingerprint's `sent`). The call is
still recorded, and its drift reported, when sending fails.
"""

from __future__ import annotations

from typing import Any

from cachelint.runtime.adapters.base import Watcher, finish_quietly
from cachelint.runtime.adapters.streams import tap_httpx_response
from cachelint.runtime.tracker import Call


def platform_of(client: Any) -> str:
    name = type(client).__name__
    if "Bedrock" in name:
        return "bedrock"
    if "Vertex" in name:
        return "vertex"
    return "anthropic"


def is_anthropic_client(client: Any) -> bool:
    return type(client).__module__.startswith("anthropic") and hasattr(client, "with_middleware")


def watch_anthropic(client: Any, watcher: Watcher) -> Any:
    import anthropic

    class CachelintMiddleware(anthropic.Middleware):
        def handle(self, request: Any, call_next: Any) -> Any:
            if watcher.may_raise:
                call = _begin(watcher, request)
                if call is None:
                    return call_next(request)
                try:
                    response = call_next(request)
                except BaseException as exc:
                    finish_quietly(call, error=exc)
                    raise
                _after(call, response)
                return response
            try:
                response = call_next(request)
            except BaseException as exc:
                finish_quietly(_begin(watcher, request), error=exc)
                raise
            call = _begin(watcher, request, response)
            if call is not None:
                _after(call, response)
            return response

        async def handle_async(self, request: Any, call_next: Any) -> Any:
            if watcher.may_raise:
                call = _begin(watcher, request)
                if call is None:
                    return await call_next(request)
                try:
                    response = await call_next(request)
                except BaseException as exc:
                    finish_quietly(call, error=exc)
                    raise
                _after(call, response)
                return response
            try:
                response = await call_next(request)
            except BaseException as exc:
                finish_quietly(_begin(watcher, request), error=exc)
                raise
            call = _begin(watcher, request, response)
            if call is not None:
                _after(call, response)
            return response

    return client.with_middleware(CachelintMiddleware())


def _begin(watcher: Watcher, request: Any, response: Any = None) -> Call | None:
    """Begin the call of `request`; `response`: its response when it has already been sent."""
    try:
        url = str(request.url)
        path = url.split("?", 1)[0]
        if str(request.method).lower() != "post" or not path.endswith("/messages"):
            return None  # count_tokens, batches, models: not a cached prefix
        body = request.json
        # beta.messages sends its `betas` as the anthropic-beta header (older SDKs: ?beta=true).
        headers = request.headers
        beta = (isinstance(headers, dict) and isinstance(headers.get("anthropic-beta"), str)) or "beta=true" in url
        op = ("beta." if beta else "") + ("messages.stream" if request.stream else "messages.create")
        attempt = int(getattr(request, "retries_taken", 0) or 0)
    except Exception:
        watcher.errors("cachelint: cannot read the request; it goes out unwatched")
        return None
    # The SDK's own body shape on every platform (Bedrock and Vertex reshape it after middleware).
    return watcher.begin(body, op=op, api="messages", attempt=attempt, sent=_sent(response))


def _sent(response: Any) -> bytes | None:
    """The body bytes the SDK sent for `response`, if it has them."""
    if response is None:
        return None
    try:
        content = response.http_response.request.content
    except Exception:  # a streamed request body, or another response type
        return None
    return content if type(content) is bytes else None


def _after(call: Call, response: Any) -> None:
    try:
        if response.status_code >= 400:
            finish_quietly(call, error=f"HTTP {response.status_code}")
            return
        tap_httpx_response(response.http_response, lambda usage: finish_quietly(call, usage or None))
    except Exception:
        call.tracker.errors("cachelint: cannot read usage from the response")
        finish_quietly(call)
