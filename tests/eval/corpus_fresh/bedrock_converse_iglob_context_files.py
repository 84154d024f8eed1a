"""Bedrock code-review bot that loads convention files with glob.iglob into system blocks."""
import glob

import boto3

runtime = boto3.client("bedrock-runtime")


def convention_blocks(repo_root: str) -> list[dict]:
    blocks = []
    for path in glob.iglob(f"{repo_root}/docs/conventions/**/*.md", recursive=True):  # expect: CL202
        with open(path, encoding="utf-8") as fh:
            blocks.append({"text": fh.read()})
    return blocks


def review(repo_root: str, diff: str) -> str:
    system = [{"text": "You review pull requests against the team's conventions."}]
    system += convention_blocks(repo_root)
    system.append({"cachePoint": {"type": "default"}})
    out = runtime.converse(
        modelId="anthropic.claude-sonnet-4-5-20250929-v1:0",
        system=system,
        messages=[{"role": "user", "content": [{"text": diff}]}],
    )
    return out["output"]["message"]["content"][0]["text"]
