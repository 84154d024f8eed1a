"""Redaction of secrets in the prompt text the companion shows when asked to keep text.

Prompts carry credentials more often than one would like (a key pasted into a system prompt, a
tool result echoing an Authorization header). Text is kept only on opt-in (`keep_text=True`, the
pytest fixture, `cachelint diff`), and even then what looks like a credential is replaced before
it reaches a drift report, a log line or an exception message. The patterns favour catching a
secret over sparing an innocent look-alike: this text is for reading, not for sending.
"""

from __future__ import annotations

import re

# (kind, pattern), applied in this order (specific shapes first). A pattern's group "keep" stays
# in front of the mask: the name in `api_key = ...`, the scheme in `Bearer ...`.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("private-key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)"),
        ("anthropic-key", r"\bsk-ant-[A-Za-z0-9_\-]{8,}"),
        ("openai-key", r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,}"),
        ("stripe-key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{12,}"),
        ("aws-access-key-id", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
        ("github-token", r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
        ("google-api-key", r"\bAIza[0-9A-Za-z_\-]{35}"),
        ("slack-token", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}"),
        ("jwt", r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
        ("bearer-token", r"(?P<keep>\b[Bb]earer\s+)(?!\[REDACTED)[A-Za-z0-9._~+/\-]{12,}=*"),
        ("basic-auth", r"(?P<keep>\b[Bb]asic\s+)[A-Za-z0-9+/]{12,}=*"),
        ("url-password", r"(?P<keep>\b[a-z][a-z0-9+.\-]*://[^/\s:@\"']+:)[^/\s@\"']+(?=@)"),
        # A value labelled as a secret: api_key=..., "password": "...", X-Api-Key: ...,
        # aws_secret_access_key = ..., also inside JSON-escaped quotes (kept text is JSON).
        (
            "secret",
            r"(?i)(?P<keep>\b[a-z0-9_\-]*(?:api[_\-]?key|secret|token|passw(?:or)?d|credential|authorization)[a-z0-9_\-]*"
            r"(?:\\?[\"'])?\s*[:=]\s*(?:\\?[\"'])?)(?!\[REDACTED|[Bb]earer\s|[Bb]asic\s)[^\s\"'\\,;{}]{6,}",
        ),
    )
)


def redact(text: str) -> str:
    """`text` with everything that looks like a credential replaced by `[REDACTED <kind>]`."""
    for kind, pattern in _PATTERNS:
        mask = f"[REDACTED {kind}]"
        text = pattern.sub(lambda m: (m.groupdict().get("keep") or "") + mask, text)
    return text


__all__ = ["redact"]
