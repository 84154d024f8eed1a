"""Anthropic caching middleware with warnings silenced, on a ChatAnthropic model it does support."""
from langchain.agents import create_agent
from langchain_anthropic import ChatAnthropic
from langchain_anthropic.middleware import AnthropicPromptCachingMiddleware

from .tools import lookup_order, refund_order

agent = create_agent(
    model=ChatAnthropic(model="claude-sonnet-4-5"),
    tools=[lookup_order, refund_order],
    system_prompt=open("support_agent.md").read(),
    middleware=[AnthropicPromptCachingMiddleware(unsupported_model_behavior="ignore")],
)
