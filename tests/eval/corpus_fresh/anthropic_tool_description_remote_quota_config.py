"""Tools whose descriptions embed quota limits pulled from the platform API at startup."""
import json

import anthropic
import requests

client = anthropic.Anthropic()


class PlatformTools:
    def __init__(self, api_base: str) -> None:
        self.limits = requests.get(f"{api_base}/v1/limits", timeout=5).json()["quotas"]

    def definitions(self) -> list[dict]:
        quota_text = json.dumps(self.limits)  # expect: CL204
        return [
            {
                "name": "create_vm",
                "description": "Create a virtual machine. Respect these per-project quotas: " + quota_text,
                "input_schema": {
                    "type": "object",
                    "properties": {"size": {"type": "string"}, "region": {"type": "string"}},
                    "required": ["size", "region"],
                },
            },
        ]


def run(platform: PlatformTools, messages: list[dict]):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2048,
        tools=platform.definitions(),
        system="You are the infrastructure agent.",
        messages=messages,
    )
