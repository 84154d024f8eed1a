"""asyncio.gather returns results in input order, so the merged tool list is stable."""
import asyncio

import httpx
from anthropic import AsyncAnthropic

client = AsyncAnthropic()
TOOL_SERVERS = ["http://search-svc:8000", "http://calendar-svc:8000", "http://mail-svc:8000"]


async def fetch_tools(http: httpx.AsyncClient, base_url: str) -> list[dict]:
    response = await http.get(f"{base_url}/tools")
    response.raise_for_status()
    return response.json()["tools"]


async def collect_tools() -> list[dict]:
    async with httpx.AsyncClient(timeout=10) as http:
        per_server = await asyncio.gather(*(fetch_tools(http, url) for url in TOOL_SERVERS))
    return [tool for tools in per_server for tool in tools]


async def agent_turn(messages: list[dict]):
    return await client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2048,
        tools=await collect_tools(),
        system="You are an office assistant with search, calendar and mail tools.",
        messages=messages,
    )
