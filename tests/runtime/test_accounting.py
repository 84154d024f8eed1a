"""Usage normalization from real response shapes of each provider."""

from __future__ import annotations

import anthropic.types
import openai.types
import openai.types.responses

from cachelint.runtime.accounting import Usage, usage_from, usage_from_bedrock_headers
from tests.runtime.fakes import ANTHROPIC_USAGE, CONVERSE_USAGE, OPENAI_CHAT_USAGE, OPENAI_RESPONSES_USAGE


def test_anthropic_usage_with_ttl_split_and_sdk_object():
    expected = Usage(uncached=12, read=2000, write_5m=200, write_1h=100, output=9)
    assert usage_from(ANTHROPIC_USAGE) == expected
    assert usage_from(anthropic.types.Usage(**ANTHROPIC_USAGE)) == expected
    no_split = {"input_tokens": 5, "output_tokens": 1, "cache_creation_input_tokens": 40, "cache_read_input_tokens": None}
    assert usage_from(no_split) == Usage(5, 0, 40, 0, 1)
    assert expected.total_input == 2312 and abs(expected.hit_rate - 2000 / 2312) < 1e-12


def test_bedrock_usage_shapes():
    assert usage_from(CONVERSE_USAGE) == Usage(20, 1000, 0, 500, 4)
    metrics = {"inputTokenCount": 7, "outputTokenCount": 2, "cacheReadInputTokenCount": 100, "cacheWriteInputTokenCount": 3}
    assert usage_from(metrics) == Usage(7, 100, 3, 0, 2)
    headers = {"x-amzn-bedrock-input-token-count": "15", "x-amzn-bedrock-cache-read-input-token-count": "1200", "x-amzn-bedrock-output-token-count": "3"}
    assert usage_from_bedrock_headers(headers) == Usage(15, 1200, 0, 0, 3)
    assert usage_from_bedrock_headers({}) is None


def test_openai_usage_counts_cached_inside_the_total():
    assert usage_from(OPENAI_CHAT_USAGE) == Usage(252, 2048, 0, 0, 10)
    assert usage_from(openai.types.CompletionUsage(**OPENAI_CHAT_USAGE)) == Usage(252, 2048, 0, 0, 10)
    assert usage_from(OPENAI_RESPONSES_USAGE) == Usage(476, 1024, 0, 0, 5)
    gpt56 = {**OPENAI_RESPONSES_USAGE, "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 1400}}
    assert usage_from(gpt56) == Usage(100, 0, 1400, 0, 5)
    assert usage_from(openai.types.responses.ResponseUsage(**OPENAI_RESPONSES_USAGE)) == Usage(476, 1024, 0, 0, 5)


def test_not_usage():
    assert usage_from(None) is None and usage_from({"foo": 1}) is None and usage_from(object()) is None
