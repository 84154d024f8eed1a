"""LangChain agent moved from the Anthropic API to Bedrock Converse; the Anthropic caching middleware stayed."""
from langchain.agents import create_agent
from langchain_anthropic.middleware import AnthropicPromptCachingMiddleware
from langchain_aws import ChatBedrockConverse

from .tools import lookup_order, refund_order

model = ChatBedrockConverse(model="us.anthropic.claude-sonnet-4-5-20250929-v1:0", region_name="us-east-1")

agent = create_agent(
    model=model,
    tools=[lookup_order, refund_order],
    system_prompt=open("support_agent.md").read(),
    middleware=[AnthropicPromptCachingMiddleware(ttl="5m", unsupported_model_behavior="ignore")],  # expect: CL410
)
