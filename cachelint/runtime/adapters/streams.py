"""Pass-through response streams that read usage on the way by.

The caller's stream keeps streaming: every chunk is handed on unchanged, and usage is picked out
of the events as they pass (Anthropic `message_start`/`message_delta`, OpenAI's final chunk or
`response.completed`, Bedrock's event-stream frames and invocation metrics). A scanner error is
logged and scanning stops; the bytes still flow.
"""

from __future__ import annotations

import base64
import logging
from typing import Any, AsyncIterator, Callable, Iterable, Iterator

from cachelint.runtime.accounting import merge_stream_usage
from cachelint.runtime.serialize import loads

logger = logging.getLogger("cachelint")
_MAX_JSON_BODY = 16 * 1024 * 1024


def usage_in_event(event: Any, acc: dict[str, Any]) -> None:
    """Merge any usage an event carries into `acc` (later non-null values win)."""
    if not isinstance(event, dict):
        return
    for holder in (event, event.get("message"), event.get("response")):
        if isinstance(holder, dict) and isinstance(holder.get("usage"), dict):
            merge_stream_usage(acc, holder["usage"])
    metrics = event.get("amazon-bedrock-invocationMetrics")
    if isinstance(metrics, dict):
        merge_stream_usage(acc, metrics)
    if isinstance(event.get("metadata"), dict) and isinstance(event["metadata"].get("usage"), dict):
        merge_stream_usage(acc, event["metadata"]["usage"])


class Scanner:
    """Feeds on raw chunks; `usage` holds what was seen so far."""

    def __init__(self) -> None:
        self.usage: dict[str, Any] = {}
        self.broken = False

    def feed(self, chunk: bytes) -> None:
        if self.broken:
            return
        try:
            self._feed(chunk)
        except Exception:
            self.broken = True
            logger.debug("cachelint: cannot read usage from the stream", exc_info=True)

    def end(self) -> None:
        if not self.broken:
            try:
                self._end()
            except Exception:
                logger.debug("cachelint: cannot read usage from the stream", exc_info=True)

    def _feed(self, chunk: bytes) -> None:
        raise NotImplementedError

    def _end(self) -> None:
        pass


class SSEScanner(Scanner):
    """Server-sent events: only `data:` payloads that mention usage are parsed."""

    def __init__(self) -> None:
        super().__init__()
        self._buffer = b""

    def _feed(self, chunk: bytes) -> None:
        self._buffer += chunk
        if b"\n" not in chunk:
            return
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            if line.startswith(b"data:") and b"usage" in line:
                payload = line[5:].strip()
                if payload and payload != b"[DONE]":
                    usage_in_event(loads(payload), self.usage)

    def _end(self) -> None:
        self._feed(b"\n")


class AWSEventStreamScanner(Scanner):
    """Bedrock's binary event stream; each frame's payload is JSON, Claude events base64 inside."""

    def __init__(self) -> None:
        super().__init__()
        from botocore.eventstream import EventStreamBuffer

        self._frames = EventStreamBuffer()

    def _feed(self, chunk: bytes) -> None:
        self._frames.add_data(chunk)
        for message in self._frames:
            payload = message.payload
            if not payload:
                continue
            outer = loads(payload)
            if isinstance(outer, dict) and isinstance(outer.get("bytes"), str):
                usage_in_event(loads(base64.b64decode(outer["bytes"])), self.usage)
            else:
                usage_in_event(outer, self.usage)


class JSONScanner(Scanner):
    """A whole JSON body read through a stream (`with_streaming_response` on a non-stream call)."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []
        self._size = 0

    def _feed(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > _MAX_JSON_BODY:
            self.broken = True
            self._parts = []
            return
        self._parts.append(chunk)

    def _end(self) -> None:
        usage_in_event(loads(b"".join(self._parts)), self.usage)


def scanner_for(content_type: str) -> Scanner:
    if "amazon.eventstream" in content_type:
        return AWSEventStreamScanner()
    if "event-stream" in content_type:
        return SSEScanner()
    return JSONScanner()


def tap_iter(inner: Iterable[bytes], scanner: Scanner, done: Callable[[dict[str, Any]], None]) -> Iterator[bytes]:
    try:
        for chunk in inner:
            scanner.feed(chunk)
            yield chunk
        scanner.end()
    finally:
        done(scanner.usage)


async def tap_aiter(inner: AsyncIterator[bytes], scanner: Scanner, done: Callable[[dict[str, Any]], None]) -> AsyncIterator[bytes]:
    try:
        async for chunk in inner:
            scanner.feed(chunk)
            yield chunk
        scanner.end()
    finally:
        done(scanner.usage)


def tap_httpx_response(response: Any, done: Callable[[dict[str, Any]], None]) -> bool:
    """Replace an unread httpx2 response stream with a pass-through; False if already read."""
    try:
        content = response.content
    except Exception as exc:
        import httpx2

        if not isinstance(exc, httpx2.ResponseNotRead):
            raise
        content = None
    if content is not None and content[:1] == b"{" and len(content) <= _MAX_JSON_BODY:
        # A JSON body already read (a non-streamed call, the usual case): what JSONScanner does
        # for it, without building one or reading the headers. Neither a server-sent event
        # stream (a field name first) nor an AWS event stream (a length, a zero byte first below
        # 16 MiB) starts with "{".
        usage: dict[str, Any] = {}
        try:
            usage_in_event(loads(content), usage)
        except Exception:
            logger.debug("cachelint: cannot read usage from the response", exc_info=True)
        done(usage)
        return True
    content_type = response.headers.get("content-type", "")
    scanner = scanner_for(content_type)
    if content is not None:
        # Already read (a stream a transport buffered): scan it at once.
        scanner.feed(content)
        scanner.end()
        done(scanner.usage)
        return True
    import httpx2

    inner = response.stream
    sync_tap, async_tap = _taps()
    if isinstance(inner, httpx2.AsyncByteStream):
        response.stream = async_tap(inner, scanner, done)
    else:
        response.stream = sync_tap(inner, scanner, done)
    return True


_TAPS: tuple[type, type] | None = None


def _taps() -> tuple[type, type]:
    # Built on first use: httpx2 is there whenever an anthropic or openai client is, but the
    # boto3 path uses the scanners above without it.
    global _TAPS
    if _TAPS is not None:
        return _TAPS
    import httpx2

    class SyncTap(httpx2.SyncByteStream):
        def __init__(self, inner: Any, scanner: Scanner, done: Callable[[dict[str, Any]], None]) -> None:
            self._inner, self._scanner, self._done = inner, scanner, done

        def __iter__(self) -> Iterator[bytes]:
            return tap_iter(self._inner, self._scanner, self._done)

        def close(self) -> None:
            try:
                self._inner.close()
            finally:
                self._done(self._scanner.usage)

    class AsyncTap(httpx2.AsyncByteStream):
        def __init__(self, inner: Any, scanner: Scanner, done: Callable[[dict[str, Any]], None]) -> None:
            self._inner, self._scanner, self._done = inner, scanner, done

        def __aiter__(self) -> AsyncIterator[bytes]:
            return tap_aiter(self._inner, self._scanner, self._done)

        async def aclose(self) -> None:
            try:
                await self._inner.aclose()
            finally:
                self._done(self._scanner.usage)

    _TAPS = (SyncTap, AsyncTap)
    return _TAPS
