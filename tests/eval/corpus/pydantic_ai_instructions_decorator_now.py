"""pydantic-ai: an @agent.instructions function returns the current time."""
from dataclasses import dataclass
from datetime import datetime

from pydantic_ai import Agent, RunContext


@dataclass
class Deps:
    customer_id: str


agent = Agent(
    "anthropic:claude-sonnet-4-5",
    deps_type=Deps,
    instructions="You are a billing assistant. Quote amounts with currency codes.",
)


@agent.instructions
def clock(ctx: RunContext[Deps]) -> str:
    return f"The current time is {datetime.now().isoformat(timespec='seconds')}."  # expect: CL101


@agent.tool
def open_invoices(ctx: RunContext[Deps]) -> list[str]:
    """List the customer's open invoice ids."""
    return ["INV-1001", "INV-1002"]


def main() -> None:
    result = agent.run_sync("Which invoices are open?", deps=Deps(customer_id="c_42"))
    print(result.output)
