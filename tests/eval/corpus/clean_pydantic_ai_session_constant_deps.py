"""pydantic-ai: instructions read a per-session constant (the user's name and plan)."""
from dataclasses import dataclass

from pydantic_ai import Agent, RunContext


@dataclass(frozen=True)
class UserProfile:
    name: str
    plan: str


agent = Agent(
    "anthropic:claude-sonnet-4-5",
    deps_type=UserProfile,
    system_prompt="You are a helpdesk assistant for a project-management tool.",
)


@agent.instructions
def who_is_asking(ctx: RunContext[UserProfile]) -> str:
    return f"The user is {ctx.deps.name} on the {ctx.deps.plan} plan."


def ask(profile: UserProfile, question: str) -> str:
    return agent.run_sync(question, deps=profile).output
