"""AnthropicBedrock client; the system prompt is assembled from lines with str.join."""
from datetime import datetime

from anthropic import AnthropicBedrock

client = AnthropicBedrock(aws_region="eu-central-1")

GUIDELINES = [
    "You are a code review assistant for a Python monorepo.",
    "Point out bugs first, style issues last.",
    "Quote the exact line you are talking about.",
    "Never approve a change that disables tests.",
]


def system_prompt() -> str:
    lines = list(GUIDELINES)
    lines.append(f"Review started at {datetime.utcnow():%H:%M} UTC.")  # expect: CL101
    return "\n".join(lines)


def review(diff: str) -> str:
    result = client.messages.create(
        model="anthropic.claude-3-5-sonnet-20241022-v2:0",
        max_tokens=4096,
        system=system_prompt(),
        messages=[{"role": "user", "content": f"Please review this diff:\n\n{diff}"}],
    )
    return result.content[0].text
