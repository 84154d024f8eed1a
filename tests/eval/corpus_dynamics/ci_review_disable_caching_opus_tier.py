"""CI review step: Claude Code for the review, with prompt caching turned off for Opus while debugging."""
import os
import subprocess

import anthropic

client = anthropic.Anthropic()
os.environ.update(CLAUDE_CODE_USE_BEDROCK="1", DISABLE_PROMPT_CACHING_OPUS="1")  # expect: CL410


def review(diff_path: str) -> str:
    done = subprocess.run(["claude", "-p", f"Review the diff in {diff_path}"], capture_output=True, text=True, check=True)
    return done.stdout


def summarize(review_text: str) -> str:
    reply = client.messages.create(model="claude-haiku-4-5", max_tokens=300, messages=[{"role": "user", "content": review_text}])
    return reply.content[0].text
