"""openai SDK (OpenAI, AsyncOpenAI): `chat.completions.create` and `responses.create`.

The openai SDK has no middleware. Its `request()` method runs once per call, before the retry
loop, so wrapping it on the instance is where a drift assertion can be raised safely (an httpx
event hook that raises is turned into a retried connection error). The wrapper sees the body after
the SDK's transform (lists, not the caller's generators). Usage comes from the parsed response, or
from a pass-through over the stream (`stream_options={"include_usage": True}` for Chat
Completions; `response.completed` for Responses). Copies made with `with_options()` are new
clients: watch those too.
"""

from __future__ import annotations

import inspect
from typing import Any

from cachelint.runtime.adapters.base import Watcher, finish_quietly
from cachelint.runtime.adapters.streams import tap_httpx_response
from cachelint.runtime.tracker import Call

_PATHS = {"/chat/completions": ("chat", "chat.completions.create"), "/responses": ("responses", "responses.create")}


def is_openai_client(client: Any) -> bool:
    return type(client).__module__.startswith("openai") and callable(getattr(client, "request", None)) and hasattr(client, "chat")


def watch_openai(client: Any, watcher: Watcher) -> Any:
    original = client.request
    if getattr(original, "__cachelint__", False):
        return client
    if inspect.iscoroutinefunction(original):

        async def request(*args: Any, **kwargs: Any) -> Any:
            call = _begin(watcher, args, kwargs)
            if call is None:
                return await original(*args, **kwargs)
            try:
                result = await original(*args, **kwargs)
            except BaseException as exc:
                finish_quietly(call, error=exc)
                raise
            _after(call, result)
            return result

    else:

        def request(*args: Any, **kwargs: Any) -> Any:
            call = _begin(watcher, args, kwargs)
            if call is None:
                return original(*args, **kwargs)
            try:
                result = original(*args, **kwargs)
            except BaseException as exc:
                finish_quietly(call, error=exc)
                raise
            _after(call, result)
            return result

    request.__cachelint__ = True  # type: ignore[attr-defined]
    request.__wrapped__ = original  # type: ignore[attr-defined]
    client.request = request
    return client


def _begin(watcher: Watcher, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Call | None:
    try:
        options = args[1] if len(args) > 1 else kwargs.get("options")
        if options is None or str(options.method).lower() != "post":
            return None
        api_op = _PATHS.get(str(options.url).split("?", 1)[0])
        if api_op is None:
            return None
        body = options.json_data
    except Exception:
        watcher.errors("cachelint: cannot read the request; it goes out unwatched")
        return None
    return watcher.begin(body, api=api_op[0], op=api_op[1])


def _after(call: Call, result: Any) -> None:
    try:
        usage = getattr(result, "usage", None)
        if usage is not None:
            finish_quietly(call, usage)
            return
        http = getattr(result, "http_response", None) or getattr(result, "response", None)
        if http is not None and hasattr(http, "stream"):
            tap_httpx_response(http, lambda u: finish_quietly(call, u or None))
            return
        finish_quietly(call)
    except Exception:
        call.tracker.errors("cachelint: cannot read usage from the response")
        finish_quietly(call)
