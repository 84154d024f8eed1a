"""Unseeded random picks the temperature; sampling parameters do not key the cache."""
import random

import anthropic

client = anthropic.Anthropic()

SYSTEM = """You are a slogan generator for small businesses.
Return five slogans, each under eight words, one per line."""


def slogans(business: str) -> str:
    temperature = random.uniform(0.7, 1.0)
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=300,
        temperature=temperature,
        system=SYSTEM,
        messages=[{"role": "user", "content": business}],
    )
    return response.content[0].text
