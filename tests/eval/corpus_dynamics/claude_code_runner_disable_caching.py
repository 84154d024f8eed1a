"""CI helper that runs Claude Code headless on Bedrock, and reviews its output with the SDK."""
import os
import subprocess

import anthropic

client = anthropic.AnthropicBedrock()


def run_claude_code(prompt: str, workdir: str) -> str:
    env = {
        **os.environ,
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "DISABLE_PROMPT_CACHING": "1",  # expect: CL410
    }
    done = subprocess.run(["claude", "-p", prompt], cwd=workdir, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def review(diff: str) -> str:
    reply = client.messages.create(model="us.anthropic.claude-sonnet-4-5-20250929-v1:0", max_tokens=800, messages=[{"role": "user", "content": diff}])
    return reply.content[0].text
