"""A repository tree listing from os.walk rendered into a Bedrock system block."""
import os

import boto3

bedrock = boto3.client("bedrock-runtime")


def repo_tree(root: str) -> str:
    lines = []
    for dirpath, dirnames, filenames in os.walk(root):  # expect: CL202
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            lines.append(os.path.relpath(os.path.join(dirpath, filename), root))
    return "\n".join(lines)


def ask_about_repo(root: str, question: str) -> str:
    response = bedrock.converse(
        modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
        system=[
            {"text": "You are a codebase navigator. Answer with file paths."},
            {"text": "Repository files:\n" + repo_tree(root)},
        ],
        messages=[{"role": "user", "content": [{"text": question}]}],
    )
    return response["output"]["message"]["content"][0]["text"]
