"""pydantic-ai research agent: a dynamic system prompt reports how many searches were used."""
from dataclasses import dataclass

import httpx
from pydantic_ai import Agent, RunContext


@dataclass
class ResearchDeps:
    http: httpx.AsyncClient
    searches_done: int = 0
    max_searches: int = 6


agent = Agent("openai:gpt-5", deps_type=ResearchDeps,
              system_prompt="You are a research assistant. Cite every source with its URL.")


@agent.system_prompt(dynamic=True)
def search_budget(ctx: RunContext[ResearchDeps]) -> str:  # expect: CL302
    left = ctx.deps.max_searches - ctx.deps.searches_done
    return f"You have used {ctx.deps.searches_done} searches; {left} remain."


@agent.tool
async def web_search(ctx: RunContext[ResearchDeps], query: str) -> str:
    ctx.deps.searches_done += 1
    resp = await ctx.deps.http.get("https://search.internal/api", params={"q": query})
    return resp.text


async def research(question: str) -> str:
    async with httpx.AsyncClient() as http:
        result = await agent.run(question, deps=ResearchDeps(http=http))
    return result.output
