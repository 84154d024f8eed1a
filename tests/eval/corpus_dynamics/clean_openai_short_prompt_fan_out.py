"""Parallel sentiment labels on a short prompt: below OpenAI's 1024-token minimum nothing is cached."""
import asyncio

from openai import AsyncOpenAI

client = AsyncOpenAI()
SYSTEM = "Label the sentiment of the review as positive, negative or mixed. Answer with one word."


async def label(review: str) -> str:
    completion = await client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": review}],
    )
    return completion.choices[0].message.content


async def label_all(reviews: list[str]) -> list[str]:
    return await asyncio.gather(*(label(r) for r in reviews))
