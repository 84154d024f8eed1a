"""Support answers from GPT-5.6 on Bedrock, with the policy marked for caching."""
import json

import boto3

runtime = boto3.client("bedrock-runtime")
POLICY = open("support_policy.md").read()


def answer(ticket: str) -> str:
    body = {
        "input": [
            {"role": "developer", "content": [{"type": "input_text", "text": POLICY, "prompt_cache_breakpoint": {"mode": "explicit"}}]},
            {"role": "user", "content": [{"type": "input_text", "text": ticket}]},
        ],
        "prompt_cache_options": {"mode": "explicit", "ttl": "1h"},  # expect: CL408
        "max_output_tokens": 800,
    }
    reply = runtime.invoke_model(modelId="openai.gpt-5.6", body=json.dumps(body))
    return json.loads(reply["body"].read())["output_text"]
