"""Bedrock batch with a one-worker executor (rate-limited account): calls run one after another."""
from concurrent.futures import ThreadPoolExecutor

import boto3

bedrock = boto3.client("bedrock-runtime")
GLOSSARY = open("glossary.md").read()


def translate(paragraph: str) -> str:
    response = bedrock.converse(
        modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        system=[{"text": GLOSSARY}, {"cachePoint": {"type": "default"}}],
        messages=[{"role": "user", "content": [{"text": paragraph}]}],
    )
    return response["output"]["message"]["content"][0]["text"]


def translate_all(paragraphs: list[str]) -> list[str]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return list(pool.map(translate, paragraphs))
