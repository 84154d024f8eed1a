"""Document Q&A that pre-warms the cached document with max_tokens=0, then asks every question at once."""
import asyncio

import anthropic

client = anthropic.AsyncAnthropic()
MODEL = "claude-sonnet-4-5"


async def ask(document: str, question: str) -> str:
    reply = await client.messages.create(
        model=MODEL,
        max_tokens=500,
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": document, "cache_control": {"type": "ephemeral"}},
                    {"type": "text", "text": question},
                ],
            }
        ],
    )
    return reply.content[0].text


async def answer_all(document: str, questions: list[str]) -> list[str]:
    warm_up = [{"role": "user", "content": [{"type": "text", "text": document, "cache_control": {"type": "ephemeral"}}]}]
    await client.messages.create(model=MODEL, max_tokens=0, messages=warm_up)
    return await asyncio.gather(*(ask(document, q) for q in questions))
