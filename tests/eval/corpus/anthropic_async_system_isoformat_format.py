"""Async research agent: the system template is filled with .format() on every request."""
import asyncio
from datetime import datetime, timezone

from anthropic import AsyncAnthropic

SYSTEM_TEMPLATE = (
    "You are a research assistant working for the {team} team.\n"
    "Cite every claim with a source URL. Prefer primary sources over blogs.\n"
    "Summaries must fit in ten bullet points. Use British spelling.\n"
    "Reference clock (UTC): {now}"
)


class ResearchAgent:
    def __init__(self, team: str) -> None:
        self.client = AsyncAnthropic()
        self.team = team
        self.history: list[dict] = []

    async def ask(self, text: str) -> str:
        system = SYSTEM_TEMPLATE.format(
            team=self.team,
            now=datetime.now(timezone.utc).isoformat(),  # expect: CL101
        )
        self.history.append({"role": "user", "content": text})
        message = await self.client.messages.create(
            model="claude-opus-4-1",
            max_tokens=2048,
            system=system,
            messages=self.history,
        )
        reply = message.content[0].text
        self.history.append({"role": "assistant", "content": reply})
        return reply


async def main() -> None:
    agent = ResearchAgent("platform")
    print(await agent.ask("What changed in HTTP/3 congestion control?"))


if __name__ == "__main__":
    asyncio.run(main())
