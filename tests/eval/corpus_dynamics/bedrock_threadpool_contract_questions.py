"""Due-diligence script: every question about one contract is sent at once from a thread pool."""
from concurrent.futures import ThreadPoolExecutor

import boto3

bedrock = boto3.client("bedrock-runtime", region_name="us-east-1")
MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
INSTRUCTIONS = "You are a contracts lawyer. Quote the clause you rely on."


def ask(contract: str, question: str) -> str:
    response = bedrock.converse(
        modelId=MODEL_ID,
        system=[{"text": INSTRUCTIONS}],
        messages=[{"role": "user", "content": [{"text": contract}, {"cachePoint": {"type": "default"}}, {"text": question}]}],
        inferenceConfig={"maxTokens": 800},
    )
    return response["output"]["message"]["content"][0]["text"]


def review(contract: str, questions: list[str]) -> list[str]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(ask, contract, q) for q in questions]  # expect: CL508
        return [f.result() for f in futures]
