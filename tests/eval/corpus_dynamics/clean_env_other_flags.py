"""Runs Claude Code with Bedrock and telemetry off; caching stays on."""
import os
import subprocess

import anthropic

client = anthropic.Anthropic()


def run_claude_code(prompt: str) -> str:
    env = {**os.environ, "CLAUDE_CODE_USE_BEDROCK": "1", "DISABLE_TELEMETRY": "1", "DISABLE_PROMPT_CACHING": "0"}
    return subprocess.run(["claude", "-p", prompt], env=env, capture_output=True, text=True).stdout


def title(text: str) -> str:
    return client.messages.create(model="claude-haiku-4-5", max_tokens=30, messages=[{"role": "user", "content": text}]).content[0].text
