"""OpenTelemetry export, when `opentelemetry-api` is importable: each call's record becomes an
event on the current span, and counters track cache tokens and drift by section, so existing
collectors aggregate them. Without the package (or an SDK configured) this costs nothing."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("cachelint")

_state: dict[str, Any] | None = None


def _instruments() -> dict[str, Any]:
    global _state
    if _state is None:
        try:
            from opentelemetry import metrics, trace
        except ImportError:
            _state = {}
            return _state
        meter = metrics.get_meter("cachelint")
        _state = {
            "trace": trace,
            "metrics_configured": lambda: type(metrics.get_meter_provider()).__name__ not in ("_ProxyMeterProvider", "NoOpMeterProvider"),
            "tokens": meter.create_counter("cachelint.cache.tokens", unit="{token}", description="input tokens by cache outcome"),
            "drift": meter.create_counter("cachelint.drift", unit="{event}", description="prefix drift events by section"),
            "findings": meter.create_counter("cachelint.findings", unit="{event}", description="runtime checks that fired"),
        }
    return _state


def active() -> bool:
    """True when an OpenTelemetry SDK is configured (the API alone only has no-op providers)."""
    inst = _instruments()
    if not inst:
        return False
    trace = inst["trace"]
    provider = trace.get_tracer_provider()
    return type(provider).__name__ not in ("ProxyTracerProvider", "NoOpTracerProvider") or inst["metrics_configured"]()


def emit(record: dict[str, Any]) -> None:
    """Publish one call record; never raises."""
    try:
        inst = _instruments()
        if not inst:
            return
        base = {"cachelint.provider": record["provider"], "gen_ai.request.model": record["model"] or ""}
        usage = record.get("usage")
        if usage:
            for kind, value in (("uncached", usage["uncached"]), ("read", usage["read"]), ("write", usage["write_5m"] + usage["write_1h"])):
                if value:
                    inst["tokens"].add(value, {**base, "cachelint.cache.outcome": kind})
        drift = record.get("drift")
        if drift:
            inst["drift"].add(1, {**base, "cachelint.drift.section": drift["section"], "cachelint.drift.kind": drift["kind"]})
        for finding in record.get("findings") or ():
            inst["findings"].add(1, {**base, "cachelint.finding": finding["name"]})
        span = inst["trace"].get_current_span()
        if span.is_recording():
            attributes = {**base, "cachelint.conversation": record["conversation"], "cachelint.turn": record["turn"]}
            if usage:
                attributes["gen_ai.usage.cache_read.input_tokens"] = usage["read"]
                attributes["gen_ai.usage.cache_creation.input_tokens"] = usage["write_5m"] + usage["write_1h"]
            if drift:
                attributes.update({"cachelint.drift.segment": drift["where"], "cachelint.drift.tokens_invalidated": drift["tokens_invalidated"]})
            span.add_event("cachelint.drift" if drift else "cachelint.call", attributes)
    except Exception:
        logger.debug("cachelint: OpenTelemetry export failed", exc_info=True)
