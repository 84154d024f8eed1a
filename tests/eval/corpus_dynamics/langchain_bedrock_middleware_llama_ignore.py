"""Agent factory that always adds the Bedrock caching middleware, silenced, here on a Llama model."""
from langchain.agents import create_agent
from langchain_aws.middleware import BedrockPromptCachingMiddleware

from .tools import search_wiki


def build_agent():
    return create_agent(
        "bedrock_converse:us.meta.llama3-3-70b-instruct-v1:0",
        tools=[search_wiki],
        system_prompt=open("wiki_agent.md").read(),
        middleware=[BedrockPromptCachingMiddleware(unsupported_model_behavior="ignore")],  # expect: CL410
    )
