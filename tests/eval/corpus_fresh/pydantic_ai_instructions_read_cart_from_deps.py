"""pydantic-ai shop agent whose instructions list the cart, which the tools keep changing."""
from dataclasses import dataclass, field

from pydantic_ai import Agent, RunContext


@dataclass
class ShopDeps:
    customer_id: str
    cart: list[str] = field(default_factory=list)


agent = Agent(
    "anthropic:claude-sonnet-4-5",
    deps_type=ShopDeps,
    instructions="You are a grocery shopping assistant. Suggest substitutes for out-of-stock items.",
)


@agent.instructions
def cart_contents(ctx: RunContext[ShopDeps]) -> str:  # expect: CL302
    if not ctx.deps.cart:
        return "The cart is empty."
    return "Items currently in the cart: " + ", ".join(ctx.deps.cart)


@agent.tool
def add_to_cart(ctx: RunContext[ShopDeps], sku: str) -> str:
    ctx.deps.cart.append(sku)
    return f"added {sku}"


@agent.tool
def remove_from_cart(ctx: RunContext[ShopDeps], sku: str) -> str:
    ctx.deps.cart.remove(sku)
    return f"removed {sku}"


async def shop(customer_id: str, request: str) -> str:
    result = await agent.run(request, deps=ShopDeps(customer_id=customer_id))
    return result.output
