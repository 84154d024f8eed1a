"""rules/providers.yaml loads, answers lookups, and bad data is reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cachelint.providers import load_provider_facts, parse_provider_doc
from cachelint.rulefiles import rules_dir
from cachelint.yamlfile import DataError, load_yaml_text

GOOD = """\
models:
  - provider: anthropic
    match: ["my-model*"]
    min-tokens: 2048
    max-breakpoints: 4
    ttls: [5m]
    price: {input: 2.0, cache-read: 0.1, cache-write-5m: 1.25, cache-write-1h: 2.0}
    source: https://example.com/prices
    date: 2026-01-01
"""


def test_shipped_file_is_valid_and_every_entry_has_a_source():
    doc = load_yaml_text((rules_dir() / "providers.yaml").read_text(), "providers.yaml")
    entries = parse_provider_doc(doc)
    assert entries and all(e.source.startswith("https://") and len(e.date) == 10 for e in entries)
    facts = load_provider_facts()
    sonnet = facts.lookup("anthropic", "claude-sonnet-4-5-20250929")
    assert (sonnet.min_tokens_low, sonnet.price.input, sonnet.price.cache_write_1h) == (1024, 3.0, 2.0)
    assert facts.lookup("anthropic", "claude-sonnet-4-6").min_tokens_high == 2048
    assert facts.lookup("bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0").min_tokens_low == 4096
    assert facts.lookup("openai", "gpt-4o-mini").price.cache_read == 0.5
    assert facts.lookup("anthropic", "some-future-model").min_tokens_low == 512


def test_user_file_overrides_shipped_entries(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD.replace("my-model*", "claude-sonnet-4-5*"))
    facts = load_provider_facts([path])
    assert facts.lookup("anthropic", "claude-sonnet-4-5").min_tokens_low == 2048


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("provider: anthropic", "provider: azure"), 2, "`provider` must be one of"),
        (("min-tokens: 2048", "min-tokens: -1"), 4, "`min-tokens` must be a non-negative integer"),
        (("min-tokens: 2048", "min-tokens: [4096, 1024]"), 4, "range must be [low, high]"),
        (("ttls: [5m]", "ttls: [2h]"), 6, "`ttls` must be"),
        (("cache-read: 0.1", "cache-read: cheap"), 7, "`price.cache-read` must be a non-negative number"),
        (("source: https://example.com/prices", "source: the docs"), 8, "`source` must be the URL"),
        (("date: 2026-01-01", "date: yesterday"), 9, "`date` must be YYYY-MM-DD"),
        (("    ttls: [5m]\n", "    ttls: [5m]\n    colour: blue\n"), 7, "unknown key `colour`"),
    ],
)
def test_bad_data_names_file_and_line(change, line, message):
    text = GOOD.replace(*change)
    with pytest.raises(DataError) as err:
        parse_provider_doc(load_yaml_text(text, "prov.yaml"))
    assert err.value.filename == "prov.yaml" and err.value.line == line
    assert message in err.value.message


def test_missing_key_and_wrong_top_level():
    with pytest.raises(DataError, match="missing required key `price`"):
        parse_provider_doc(load_yaml_text("\n".join(l for l in GOOD.splitlines() if "price" not in l), "p.yaml"))
    with pytest.raises(DataError, match="top-level `models:` list"):
        parse_provider_doc(load_yaml_text("providers: []", "p.yaml"))
