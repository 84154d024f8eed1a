"""list_tools() results of several MCP servers concatenated without sorting (case 20)."""
from anthropic import AsyncAnthropic

client = AsyncAnthropic()


class MultiServerAgent:
    def __init__(self, sessions: dict) -> None:
        self.sessions = sessions

    async def tools(self) -> list[dict]:
        merged: list[dict] = []
        for server_name, session in self.sessions.items():
            listing = await session.list_tools()  # expect: CL203
            for tool in listing.tools:
                merged.append(
                    {
                        "name": f"{server_name}__{tool.name}",
                        "description": tool.description or "",
                        "input_schema": tool.inputSchema,
                    }
                )
        return merged

    async def turn(self, messages: list[dict]):
        return await client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=2048,
            tools=await self.tools(),
            messages=messages,
        )
