"""platform.node() (the host name) in a system block list."""
import platform

import anthropic

client = anthropic.Anthropic()

STATIC = "You are a build-failure explainer. Read the CI log and name the first real error."


def explain(log_text: str) -> str:
    blocks = [{"type": "text", "text": STATIC}]
    blocks.append({"type": "text", "text": "Runner: " + platform.node()})  # expect: CL103
    msg = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=700,
        system=blocks,
        messages=[{"role": "user", "content": log_text}],
    )
    return msg.content[0].text
