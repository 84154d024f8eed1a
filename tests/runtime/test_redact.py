"""No prompt text leaves the companion unless asked for, and secrets never, even when asked for."""

from __future__ import annotations

import copy
import json
import logging

import anthropic
import httpx2
import pytest

import cachelint
from cachelint.runtime.redact import redact
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.conftest import anthropic_body, grow
from tests.runtime.fakes import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SECRETS = {
    "anthropic-key": "sk-ant-api03-Zx9_Qw8-Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8Vb7Nm6-AbCdEfAA",
    "openai-key": "sk-proj-Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0",
    "aws-access-key-id": "AKIAIOSFODNN7EXAMPLE",
    "github-token": "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "google-api-key": "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
    "slack-token": "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp",
    "stripe-key": "sk_live_51H8a9b8c7d6e5f4g3h2i1j0k",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
}


@pytest.mark.parametrize("kind", sorted(SECRETS))
def test_each_kind_of_key_is_redacted(kind):
    secret = SECRETS[kind]
    out = redact(f"Use the key {secret} for the call.")
    assert secret not in out and f"[REDACTED {kind}]" in out
    assert out.startswith("Use the key ") and out.endswith(" for the call.")


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Authorization: Bearer 7f3a9c2e1b4d6f8a0c2e4b6d", "Authorization: Bearer "),
        ('{"x-api-key": "k3y-v4lu3-123"}', '{"x-api-key": "'),
        ('{\\"password\\": \\"hunter2hunter2\\"}', '{\\"password\\": \\"'),  # JSON inside kept JSON
        ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = "),
        ("postgres://app:s3cr3t-pass@db.internal:5432/app", "postgres://app:"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----", ""),
    ],
)
def test_labelled_secrets_keep_their_label(text, kept):
    out = redact(text)
    assert "[REDACTED " in out and out.startswith(kept)
    for part in ("7f3a9c2e1b4d", "k3y-v4lu3", "hunter2", "wJalrXUtnFEMI", "s3cr3t-pass", "MIIEowIBAAKCAQEA7"):
        assert part not in out


def test_ordinary_prose_and_code_are_left_alone():
    text = (
        "The tokenizer splits words; the password policy needs 12 characters. Ask-anything mode. "
        "Bearer of bad news. def get_api_key(): return os.environ['API_KEY']  # see docs/secret-handling.md"
    )
    assert redact(text) == text


def drift_with(system: str, changed_system: str, tmp_path, **tracker_kwargs):
    """Two calls whose system prompt changes; the JSON log file's text and the records."""
    log = tmp_path / "calls.jsonl"
    client = cachelint.watch(
        anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(Recorder()))),
        log=log,
        tracker=PrefixTracker(**tracker_kwargs),
    )
    body = anthropic_body(1, system=system)
    changed = grow(body)
    changed["system"][0]["text"] = changed_system
    client.messages.create(**body)
    client.messages.create(**changed)
    text = log.read_text(encoding="utf-8")
    return text, [json.loads(line) for line in text.splitlines()]


def test_without_keep_text_no_prompt_text_reaches_the_log_or_the_logger(tmp_path, caplog):
    system = "Internal policy: refunds above 500 EUR need approval from Margarethe. " * 20
    with caplog.at_level(logging.DEBUG, logger="cachelint"):
        text, records = drift_with(system, system + " Escalate to Bartholomew.", tmp_path)
    assert records[1]["drift"]["where"] == "system[0]" and records[1]["drift"]["diff"] is None
    for word in ("Margarethe", "Bartholomew", "refunds", "turn 0", "Search the documentation"):
        assert word not in text and word not in caplog.text


def test_kept_text_is_shown_with_secrets_redacted(tmp_path, caplog):
    key = SECRETS["anthropic-key"]
    system = f"You deploy services. Use the key {key} for the registry. Today is Monday."
    with caplog.at_level(logging.WARNING, logger="cachelint"):
        text, records = drift_with(system, system.replace("Monday", "Tuesday"), tmp_path, keep_text=True)
    diff = records[1]["drift"]["diff"]
    assert "Tuesday" in diff and "[REDACTED anthropic-key]" in diff
    for shown in (text, caplog.text):
        assert key not in shown
        assert not any(key[i : i + 10] in shown for i in range(len(key) - 10))  # nor a piece of it


def test_a_window_never_cuts_a_secret_in_half(tmp_path):
    """The change is 60 characters after the middle of a key: the window would start inside it."""
    key = SECRETS["openai-key"]
    system = "x" * 200 + " " + key + " " + "y" * 40 + "Monday" + "z" * 200
    text, records = drift_with(system, system.replace("Monday", "Friday"), tmp_path, keep_text=True)
    assert not any(key[i : i + 8] in text for i in range(len(key) - 8))
    assert "Friday" in records[1]["drift"]["diff"]


def test_a_change_inside_a_secret_is_reported_without_it(tmp_path):
    old, new = SECRETS["anthropic-key"], SECRETS["anthropic-key"].replace("AbCd", "WxYz")
    system = "Use the key {} for the registry."
    text, records = drift_with(system.format(old), system.format(new), tmp_path, keep_text=True)
    assert records[1]["drift"]["diff"] == "  (the change is inside text redacted as a secret)"
    assert "AbCd" not in text and "WxYz" not in text


def test_tool_definitions_and_json_paths_are_redacted_too():
    tracker = PrefixTracker(keep_text=True)
    body = anthropic_body(1)
    body["tools"][0]["description"] = "Search. Header x-api-key: abcdef0123456789"
    tracker.observe(body, conversation="t")
    changed = copy.deepcopy(grow(body))
    changed["tools"][0]["description"] += " (v2)"
    report = tracker.observe(changed, conversation="t")
    assert report.where == 'tools[0] ("search_docs") description'
    assert "abcdef0123456789" not in str(report) and "[REDACTED secret]" in str(report)
