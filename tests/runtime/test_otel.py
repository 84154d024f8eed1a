"""OpenTelemetry export: with a configured provider each call becomes a span event and counters
move; with the API alone (no SDK) nothing is built or exported. Needs `opentelemetry-api` only:
the provider, span and counters here are small stand-ins for an SDK's."""

from __future__ import annotations

import time
from typing import Any

import anthropic
import httpx2
import pytest

import cachelint
from cachelint.runtime import otel
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.conftest import anthropic_body, grow
from tests.runtime.fakes import Recorder

trace = pytest.importorskip("opentelemetry.trace")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class RecordingSpan:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def is_recording(self) -> bool:
        return True

    def add_event(self, name: str, attributes: dict[str, Any]) -> None:
        self.events.append((name, dict(attributes)))


class Counter:
    def __init__(self) -> None:
        self.adds: list[tuple[int, dict[str, Any]]] = []

    def add(self, value: int, attributes: dict[str, Any]) -> None:
        self.adds.append((value, dict(attributes)))


class SdkTracerProvider:
    """Stands in for opentelemetry.sdk.trace.TracerProvider: any provider but the API's no-ops."""


def drifting_calls() -> list[str]:
    """Two calls of a watched client (no log file), the second with a changed system prompt."""
    client = cachelint.watch(anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(Recorder()))), tracker=PrefixTracker())
    body = anthropic_body(1)
    changed = grow(body)
    changed["system"][0]["text"] += " It is 10:46."
    with cachelint.conversation("otel-1"):
        return [client.messages.create(**b).content[0].text for b in (body, changed)]


def test_without_an_sdk_nothing_is_exported(monkeypatch):
    monkeypatch.setattr(otel, "_checked", None)
    assert otel.active() is False  # the API's proxy providers only
    emitted: list = []
    monkeypatch.setattr(otel, "emit", emitted.append)
    drifting_calls()
    assert emitted == []


def test_calls_become_span_events_and_counters(monkeypatch):
    otel._instruments()
    span = RecordingSpan()
    counters = {name: Counter() for name in ("tokens", "drift", "findings")}
    for name, counter in counters.items():
        monkeypatch.setitem(otel._state, name, counter)  # type: ignore[arg-type]
    monkeypatch.setattr(trace, "get_tracer_provider", SdkTracerProvider)
    monkeypatch.setattr(trace, "get_current_span", lambda: span)
    monkeypatch.setattr(otel, "_checked", None)
    drifting_calls()
    assert [name for name, _ in span.events] == ["cachelint.call", "cachelint.drift"]
    call, drift = (attributes for _, attributes in span.events)
    assert call["cachelint.conversation"] == "otel-1" and call["cachelint.turn"] == 1
    assert call["gen_ai.usage.cache_read.input_tokens"] == 2000 and call["gen_ai.usage.cache_creation.input_tokens"] == 300
    assert drift["cachelint.drift.segment"] == "system[0]" and drift["cachelint.turn"] == 2 and drift["gen_ai.request.model"] == "claude-sonnet-4-5"
    by_outcome = {attrs["cachelint.cache.outcome"]: value for value, attrs in counters["tokens"].adds[:3]}
    assert by_outcome == {"uncached": 12, "read": 2000, "write": 300}
    assert [(v, a["cachelint.drift.section"], a["cachelint.drift.kind"]) for v, a in counters["drift"].adds] == [(1, "system", "system_changed")]


def test_an_sdk_configured_after_the_first_calls_is_found_within_a_second(monkeypatch):
    monkeypatch.setattr(otel, "_checked", None)
    assert otel.active() is False
    monkeypatch.setattr(trace, "get_tracer_provider", SdkTracerProvider)
    assert otel.active() is False  # the answer is kept for a second...
    monkeypatch.setattr(otel, "_checked", (time.monotonic() - 1.5, False))
    assert otel.active() is True  # ...then asked again
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: None)
    assert otel.active() is True  # a provider, once set, stays


def test_a_failing_exporter_never_fails_the_call(monkeypatch):
    otel._instruments()
    monkeypatch.setitem(otel._state, "tokens", None)  # .add() raises AttributeError
    monkeypatch.setattr(trace, "get_tracer_provider", SdkTracerProvider)
    monkeypatch.setattr(otel, "_checked", None)
    assert drifting_calls() == ["Hello", "Hello"]
