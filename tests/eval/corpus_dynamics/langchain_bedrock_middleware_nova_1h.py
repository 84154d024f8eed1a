"""LangChain agent on Nova with the caching middleware set to a one-hour TTL."""
from langchain.agents import create_agent
from langchain_aws import ChatBedrock
from langchain_aws.middleware import BedrockPromptCachingMiddleware

from .tools import search_docs, open_ticket

model = ChatBedrock(model_id="us.amazon.nova-pro-v1:0", region_name="us-east-1")

agent = create_agent(
    model=model,
    tools=[search_docs, open_ticket],
    system_prompt=open("agent_prompt.md").read(),
    middleware=[BedrockPromptCachingMiddleware(ttl="1h")],  # expect: CL410
)
