"""LangChain agent on Claude Opus 4.5 via Bedrock: one-hour TTL is supported there."""
from langchain.agents import create_agent
from langchain_aws import ChatBedrock
from langchain_aws.middleware import BedrockPromptCachingMiddleware

from .tools import search_docs

agent = create_agent(
    model=ChatBedrock(model_id="us.anthropic.claude-opus-4-5-20251101-v1:0"),
    tools=[search_docs],
    system_prompt=open("agent_prompt.md").read(),
    middleware=[BedrockPromptCachingMiddleware(ttl="1h")],
)
