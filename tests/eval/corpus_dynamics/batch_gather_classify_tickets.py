"""Async triage job: every ticket of the batch is classified at once against the cached policy."""
import asyncio

import anthropic

client = anthropic.AsyncAnthropic()
POLICY = open("triage_policy.md").read()


async def classify(ticket: dict) -> str:
    reply = await client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=20,
        system=[{"type": "text", "text": POLICY, "cache_control": {"type": "ephemeral"}}],
        messages=[{"role": "user", "content": f"Subject: {ticket['subject']}\n\n{ticket['body']}"}],
    )
    return reply.content[0].text


async def triage(tickets: list[dict]) -> list[str]:
    return await asyncio.gather(*(classify(t) for t in tickets), return_exceptions=False)  # expect: CL508
