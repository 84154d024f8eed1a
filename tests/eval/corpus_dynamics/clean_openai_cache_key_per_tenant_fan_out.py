"""Nightly digest for every tenant in parallel: each tenant has its own prompt and its own cache key."""
import asyncio

from openai import AsyncOpenAI

client = AsyncOpenAI()


async def digest(tenant: dict) -> str:
    response = await client.responses.create(
        model="gpt-4.1",
        instructions=tenant["digest_prompt"],
        input=tenant["events"],
        prompt_cache_key=f"digest-{tenant['id']}",
    )
    return response.output_text


async def nightly(tenants: list[dict]) -> list[str]:
    return await asyncio.gather(*(digest(t) for t in tenants))
