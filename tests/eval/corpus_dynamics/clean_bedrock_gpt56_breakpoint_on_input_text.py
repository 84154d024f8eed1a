"""Request body for GPT-5.6 on Bedrock, the style guide marked on its input_text block."""
import json

import boto3

runtime = boto3.client("bedrock-runtime")
STYLE_GUIDE = open("style_guide.md").read()


def rewrite(draft: str) -> str:
    body = {
        "input": [
            {
                "role": "developer",
                "content": [{"type": "input_text", "text": STYLE_GUIDE, "prompt_cache_breakpoint": {"mode": "explicit"}}],
            },
            {"role": "user", "content": [{"type": "input_text", "text": draft}]},
        ],
    }
    reply = runtime.invoke_model(modelId="us.openai.gpt-5.6-v1:0", body=json.dumps(body))
    return json.loads(reply["body"].read())["output_text"]
