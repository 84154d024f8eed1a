"""Canned provider responses for the real SDK clients: httpx2 MockTransport handlers for anthropic
and openai, and a botocore `before-send` handler for boto3. No network anywhere."""

from __future__ import annotations

import base64
import binascii
import io
import json
import struct
from typing import Any, Callable, Iterator

import httpx2

ANTHROPIC_USAGE = {
    "input_tokens": 12,
    "cache_creation_input_tokens": 300,
    "cache_read_input_tokens": 2000,
    "cache_creation": {"ephemeral_5m_input_tokens": 200, "ephemeral_1h_input_tokens": 100},
    "output_tokens": 9,
}


def anthropic_message(model: str, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": "Hello"}],
        "model": model,
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": usage or ANTHROPIC_USAGE,
    }


def anthropic_sse(model: str, usage: dict[str, Any] | None = None) -> list[bytes]:
    usage = usage or ANTHROPIC_USAGE
    start_usage = {**usage, "output_tokens": 1}
    events = [
        ("message_start", {"type": "message_start", "message": {**anthropic_message(model, start_usage), "content": [], "stop_reason": None}}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hel"}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "lo"}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": usage["output_tokens"]}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    # Split mid-event so the scanner has to reassemble lines across chunks.
    data = "".join(f"event: {e}\ndata: {json.dumps(d)}\n\n" for e, d in events).encode()
    return [data[i : i + 97] for i in range(0, len(data), 97)]


class Recorder:
    """A MockTransport handler that records request bodies and answers like the provider."""

    def __init__(self, kind: str = "anthropic", usage: dict[str, Any] | None = None, status: int = 200) -> None:
        self.kind = kind
        self.usage = usage
        self.status = status
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        if self.status != 200:
            return httpx2.Response(self.status, json={"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}})
        if self.kind == "anthropic":
            model = body.get("model", "claude-sonnet-4-5")
            if body.get("stream"):
                return httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=ChunkStream(anthropic_sse(model, self.usage)))
            return httpx2.Response(200, json=anthropic_message(model, self.usage))
        if request.url.path.endswith("/responses"):
            return openai_responses(body, self.usage)
        return openai_chat(body, self.usage)


class ChunkStream(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A response body delivered in chunks, like a real network stream."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self):  # type: ignore[override]
        for chunk in self.chunks:
            yield chunk


OPENAI_CHAT_USAGE = {
    "prompt_tokens": 2300,
    "completion_tokens": 10,
    "total_tokens": 2310,
    "prompt_tokens_details": {"cached_tokens": 2048, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0},
}
OPENAI_RESPONSES_USAGE = {
    "input_tokens": 1500,
    "input_tokens_details": {"cached_tokens": 1024, "cache_write_tokens": 0},
    "output_tokens": 5,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 1505,
}


def openai_chat(body: dict[str, Any], usage: dict[str, Any] | None) -> httpx2.Response:
    usage = usage or OPENAI_CHAT_USAGE
    base = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": body["model"]}
    if body.get("stream"):
        chunks = [
            {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}, "finish_reason": None}], "usage": None},
            {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": None},
            {**base, "object": "chat.completion.chunk", "choices": [], "usage": usage},
        ]
        data = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=ChunkStream([data.encode()]))
    message = {"role": "assistant", "content": "Hi"}
    return httpx2.Response(200, json={**base, "choices": [{"index": 0, "message": message, "finish_reason": "stop"}], "usage": usage})


def openai_responses(body: dict[str, Any], usage: dict[str, Any] | None) -> httpx2.Response:
    usage = usage or OPENAI_RESPONSES_USAGE
    response = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "model": body["model"],
        "status": "completed",
        "output": [{"type": "message", "id": "m1", "status": "completed", "role": "assistant", "content": [{"type": "output_text", "text": "Hi", "annotations": []}]}],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": usage,
    }
    if body.get("stream"):
        events = [
            {"type": "response.created", "sequence_number": 0, "response": {**response, "status": "in_progress", "usage": None}},
            {"type": "response.completed", "sequence_number": 1, "response": response},
        ]
        data = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events)
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=ChunkStream([data.encode()]))
    return httpx2.Response(200, json=response)


# --- boto3 -----------------------------------------------------------------------------------

CONVERSE_USAGE = {"inputTokens": 20, "outputTokens": 4, "totalTokens": 1524, "cacheReadInputTokens": 1000, "cacheWriteInputTokens": 500, "cacheDetails": [{"ttl": "1h", "inputTokens": 500}]}


def event_frame(event_type: str, payload: dict[str, Any]) -> bytes:
    """One AWS event-stream frame (the binary framing Bedrock streams use)."""
    headers = b""
    for name, value in ((":event-type", event_type), (":content-type", "application/json"), (":message-type", "event")):
        headers += bytes([len(name)]) + name.encode() + b"\x07" + struct.pack(">H", len(value)) + value.encode()
    body = json.dumps(payload).encode()
    total = 12 + len(headers) + len(body) + 4
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", binascii.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + headers + body
    return message + struct.pack(">I", binascii.crc32(message) & 0xFFFFFFFF)


class RawBody:
    def __init__(self, data: bytes) -> None:
        self._io = io.BytesIO(data)
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data

    def read(self, *args: Any, **_: Any) -> bytes:
        return self._io.read(*args)

    def close(self) -> None:
        pass


INVOKE_METRICS = {"inputTokenCount": 15, "outputTokenCount": 3, "invocationLatency": 40, "firstByteLatency": 20, "cacheReadInputTokenCount": 1200, "cacheWriteInputTokenCount": 0}


def invoke_stream_events(request_body: Any) -> list[dict[str, Any]]:
    """InvokeModelWithResponseStream events: Claude's stream events (each a `chunk` of base64 JSON)
    for a Claude body, ending with Bedrock's invocation metrics; other models' generation chunks
    carry the usage in those metrics only."""
    body = json.loads(request_body)
    if "anthropic_version" not in body:
        return [{"generation": "Hi", "stop_reason": None}, {"generation": "", "stop_reason": "stop", "amazon-bedrock-invocationMetrics": INVOKE_METRICS}]
    usage = {"input_tokens": 15, "cache_read_input_tokens": 1200, "cache_creation_input_tokens": 0, "output_tokens": 1}
    return [
        {"type": "message_start", "message": {**anthropic_message("claude", usage), "content": [], "stop_reason": None}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 3}},
        {"type": "message_stop", "amazon-bedrock-invocationMetrics": INVOKE_METRICS},
    ]


def bedrock_responder(usage: dict[str, Any] | None = None, status: int = 200) -> tuple[list[bytes], Callable[..., Any]]:
    """A `before-send` handler answering Converse, ConverseStream, InvokeModel and
    InvokeModelWithResponseStream; records bodies."""
    from botocore.awsrequest import AWSResponse

    sent: list[bytes] = []

    def handler(request: Any, **_: Any) -> Any:
        sent.append(request.body if isinstance(request.body, bytes) else str(request.body).encode())
        url = request.url
        if status != 200:
            data = json.dumps({"message": "boom"}).encode()
            return AWSResponse(url, status, {"x-amzn-errortype": "ValidationException", "content-type": "application/json"}, RawBody(data))
        if url.endswith("/invoke-with-response-stream"):
            frames = b"".join(event_frame("chunk", {"bytes": base64.b64encode(json.dumps(e).encode()).decode()}) for e in invoke_stream_events(request.body))
            return AWSResponse(url, 200, {"content-type": "application/vnd.amazon.eventstream"}, RawBody(frames))
        if url.endswith("/converse-stream"):
            frames = b"".join(
                [
                    event_frame("messageStart", {"role": "assistant"}),
                    event_frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hi"}}),
                    event_frame("contentBlockStop", {"contentBlockIndex": 0}),
                    event_frame("messageStop", {"stopReason": "end_turn"}),
                    event_frame("metadata", {"usage": usage or CONVERSE_USAGE, "metrics": {"latencyMs": 5}}),
                ]
            )
            return AWSResponse(url, 200, {"content-type": "application/vnd.amazon.eventstream"}, RawBody(frames))
        if url.endswith("/converse"):
            data = {"output": {"message": {"role": "assistant", "content": [{"text": "Hi"}]}}, "stopReason": "end_turn", "usage": usage or CONVERSE_USAGE, "metrics": {"latencyMs": 5}}
            return AWSResponse(url, 200, {"content-type": "application/json"}, RawBody(json.dumps(data).encode()))
        headers = {
            "content-type": "application/json",
            "x-amzn-bedrock-input-token-count": "15",
            "x-amzn-bedrock-output-token-count": "3",
            "x-amzn-bedrock-cache-read-input-token-count": "1200",
            "x-amzn-bedrock-cache-write-input-token-count": "0",
        }
        data = anthropic_message("claude", {"input_tokens": 15, "output_tokens": 3, "cache_read_input_tokens": 1200, "cache_creation_input_tokens": 0})
        return AWSResponse(url, 200, headers, RawBody(json.dumps(data).encode()))

    return sent, handler


def bedrock_client(monkeypatch: Any, usage: dict[str, Any] | None = None, status: int = 200) -> tuple[Any, list[bytes]]:
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    sent, handler = bedrock_responder(usage, status)
    client.meta.events.register("before-send.bedrock-runtime", handler)
    return client, sent
