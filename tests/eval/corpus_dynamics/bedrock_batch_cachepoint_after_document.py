"""Batch classifier on Bedrock: the checkpoint follows the per-document text."""
import json

import boto3

runtime = boto3.client("bedrock-runtime", region_name="us-east-1")
LABELS = json.load(open("labels.json"))
INSTRUCTIONS = open("classifier.md").read()


def classify_all(documents: list[dict]) -> list[str]:
    labels = []
    for document in documents:
        result = runtime.converse(
            modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            system=[
                {"text": INSTRUCTIONS},
                {"text": "Document to classify:\n" + document["body"]},
                {"cachePoint": {"type": "default"}},  # expect: CL401
            ],
            messages=[{"role": "user", "content": [{"text": "Return one label."}]}],
            inferenceConfig={"maxTokens": 20},
        )
        labels.append(result["output"]["message"]["content"][0]["text"])
    return labels
