"""Summarizer endpoint using top-level automatic caching on a one-shot request."""
import anthropic

client = anthropic.Anthropic()
SYSTEM_PROMPT = open("summarizer_system.md").read()


def summarize(article: str, audience: str) -> str:
    reply = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=600,
        system=SYSTEM_PROMPT,
        messages=[
            {"role": "user", "content": f"Audience: {audience}\n\nSummarize this article:\n{article}"},
        ],
        cache_control={"type": "ephemeral"},  # expect: CL401
    )
    return reply.content[0].text
