"""What a cache miss and a hit cost, in the words of a finding, for the provider a request goes to.

Findings are written with Anthropic's and Bedrock's prices: a prefix written again costs 1.25x the
input price (5-minute TTL) and a read costs 0.1x. OpenAI charges no write premium before GPT-5.6
(1.25x from then on), and its reads cost 0.1x to 0.5x depending on the model.
"""

from __future__ import annotations

from typing import Iterable

WRITE, READ = "at 1.25x", "at 0.1x"
OPENAI_WRITE, OPENAI_READ = "at 1x-1.25x", "at 0.1x-0.5x"


def priced(message: str, providers: Iterable[str]) -> str:
    """`message` with its prices stated for requests to `providers` (all OpenAI: OpenAI's)."""
    found = set(providers)
    if found and found <= {"openai"}:
        return message.replace(WRITE, OPENAI_WRITE).replace(READ, OPENAI_READ)
    return message
