"""Bedrock agent with a dataclass state; the remember tool grows notes shown in system."""
from dataclasses import dataclass, field

import boto3

runtime = boto3.client("bedrock-runtime")
MODEL_ID = "anthropic.claude-sonnet-4-5-20250929-v1:0"
TOOL_CONFIG = {"tools": [{"toolSpec": {"name": "remember", "description": "Store a note.",
                                       "inputSchema": {"json": {"type": "object", "properties": {"note": {"type": "string"}}}}}}]}


@dataclass
class AgentState:
    goal: str
    notes: list[str] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)


def compose_system(state: AgentState) -> list[dict]:
    text = f"You are a planning assistant. Goal: {state.goal}\nNotes:\n" + "\n".join(state.notes)
    return [{"text": text}]


def step(state: AgentState, user_text: str) -> str:
    state.messages.append({"role": "user", "content": [{"text": user_text}]})
    while True:
        system = compose_system(state)  # expect: CL302
        out = runtime.converse(modelId=MODEL_ID, system=system, messages=state.messages, toolConfig=TOOL_CONFIG)
        message = out["output"]["message"]
        state.messages.append(message)
        uses = [c["toolUse"] for c in message["content"] if "toolUse" in c]
        if not uses:
            return message["content"][0]["text"]
        for use in uses:
            state.notes.append(use["input"]["note"])
        state.messages.append({"role": "user", "content": [
            {"toolResult": {"toolUseId": u["toolUseId"], "content": [{"text": "saved"}]}} for u in uses]})
