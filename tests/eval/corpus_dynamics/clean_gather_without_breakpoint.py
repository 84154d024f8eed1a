"""Parallel title generation with no breakpoint: nothing is written, so starting together costs nothing extra."""
import asyncio

import anthropic

client = anthropic.AsyncAnthropic()
GUIDE = open("title_guide.md").read()


async def title(article: str) -> str:
    reply = await client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=30,
        system=GUIDE,
        messages=[{"role": "user", "content": article}],
    )
    return reply.content[0].text


async def titles(articles: list[str]) -> list[str]:
    return await asyncio.gather(*(title(a) for a in articles))
