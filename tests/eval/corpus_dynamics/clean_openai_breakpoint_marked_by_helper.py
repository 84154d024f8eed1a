"""Explicit cache mode; the breakpoint is set by a helper on the last block of the stable prefix."""
from openai import OpenAI

client = OpenAI()
CATALOG = open("product_catalog.md").read()


def with_breakpoint(block: dict) -> dict:
    return {**block, "prompt_cache_breakpoint": {"mode": "explicit"}}


def recommend(request: str) -> str:
    stable = with_breakpoint({"type": "input_text", "text": CATALOG})
    response = client.responses.create(
        model="gpt-5.6",
        input=[
            {"role": "developer", "content": [stable]},
            {"role": "user", "content": [{"type": "input_text", "text": request}]},
        ],
        prompt_cache_options={"mode": "explicit"},
    )
    return response.output_text
