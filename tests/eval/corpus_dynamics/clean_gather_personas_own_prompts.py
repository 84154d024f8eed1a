"""Panel of reviewer personas: each task has its own system prompt, so no prefix is shared."""
import asyncio

import anthropic

client = anthropic.AsyncAnthropic()


async def critique(persona: dict, draft: str) -> str:
    reply = await client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=600,
        system=[{"type": "text", "text": persona["prompt"], "cache_control": {"type": "ephemeral"}}],
        messages=[{"role": "user", "content": draft}],
    )
    return reply.content[0].text


async def panel(personas: list[dict], draft: str) -> list[str]:
    return await asyncio.gather(*(critique(p, draft) for p in personas))
