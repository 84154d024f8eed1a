"""OpenTelemetry export, when `opentelemetry-api` is importable: each call's record becomes an
event on the current span, and counters track cache tokens and drift by section, so existing
collectors aggregate them. Without the package (or an SDK configured) this costs nothing."""

from __future__ import annotations

import logging
import time
from typing import Any

logger = logging.getLogger("cachelint")

_state: dict[str, Any] | None = None
_RECHECK_SECONDS = 1.0
_checked: tuple[float, bool] | None = None  # (monotonic time, answer) of the last look


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
    """True when an OpenTelemetry SDK is configured (the API alone only has no-op providers).

    Asking OpenTelemetry costs microseconds on every call, so the answer is kept: a True one for
    good (the global providers can be set only once), a False one for a second, so an SDK set up
    after the first calls is still found.
    """
    global _checked
    now = time.monotonic()
    if _checked is not None and (_checked[1] or 0 <= now - _checked[0] < _RECHECK_SECONDS):
        return _checked[1]
    inst = _instruments()
    if not inst:
        found = False
    else:
        provider = inst["trace"].get_tracer_provider()
        found = type(provider).__name__ not in ("ProxyTracerProvider", "NoOpTracerProvider") or inst["metrics_configured"]()
    _checked = (now, found)
    return found


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
