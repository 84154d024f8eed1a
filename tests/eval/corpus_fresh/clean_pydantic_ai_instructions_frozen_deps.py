"""pydantic-ai instructions read ctx.deps, but the deps are frozen and tools only read them."""
from dataclasses import dataclass

from pydantic_ai import Agent, RunContext


@dataclass(frozen=True)
class Company:
    name: str
    industry: str
    support_email: str


agent = Agent("anthropic:claude-sonnet-4-5", deps_type=Company,
              instructions="You answer questions from the public about our company.")


@agent.instructions
def company_facts(ctx: RunContext[Company]) -> str:
    return f"Company: {ctx.deps.name}, industry: {ctx.deps.industry}."


@agent.tool
def contact(ctx: RunContext[Company]) -> str:
    return f"Write to {ctx.deps.support_email}."


async def answer(company: Company, question: str, history=None) -> str:
    result = await agent.run(question, deps=company, message_history=history)
    return result.output
