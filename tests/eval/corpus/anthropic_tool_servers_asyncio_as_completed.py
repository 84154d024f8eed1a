"""Tools from several tool servers collected in completion order (case 23)."""
import asyncio

import httpx
from anthropic import AsyncAnthropic

client = AsyncAnthropic()


async def fetch_tools(http: httpx.AsyncClient, base_url: str) -> list[dict]:
    response = await http.get(f"{base_url}/tools")
    response.raise_for_status()
    return response.json()["tools"]


async def collect_tools(servers: list[str]) -> list[dict]:
    tools: list[dict] = []
    async with httpx.AsyncClient(timeout=10) as http:
        for next_done in asyncio.as_completed([fetch_tools(http, url) for url in servers]):  # expect: CL203
            tools.extend(await next_done)
    return tools


async def agent_turn(servers: list[str], messages: list[dict]):
    tools = await collect_tools(servers)
    return await client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2048,
        tools=tools,
        system="You are an assistant with access to MCP tools.",
        messages=messages,
    )
