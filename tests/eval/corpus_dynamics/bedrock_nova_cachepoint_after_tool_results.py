"""Nova agent loop that checkpoints every tool-result turn."""
import boto3

from .tools import TOOL_SPECS, run_tool

runtime = boto3.client("bedrock-runtime")
MODEL_ID = "us.amazon.nova-pro-v1:0"
INSTRUCTIONS = open("nova_agent.md").read()


def run(task: str) -> str:
    messages = [{"role": "user", "content": [{"text": task}]}]
    while True:
        reply = runtime.converse(
            modelId=MODEL_ID,
            system=[{"text": INSTRUCTIONS}, {"cachePoint": {"type": "default"}}],
            toolConfig={"tools": TOOL_SPECS},
            messages=messages,
        )
        message = reply["output"]["message"]
        messages.append(message)
        uses = [block["toolUse"] for block in message["content"] if "toolUse" in block]
        if not uses:
            return message["content"][0]["text"]
        results = [{"toolResult": {"toolUseId": use["toolUseId"], "content": [{"json": run_tool(use)}]}} for use in uses]
        messages.append({"role": "user", "content": [*results, {"cachePoint": {"type": "default"}}]})  # expect: CL407, CL402
