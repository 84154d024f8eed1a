"""Shared agent factory: the Anthropic middleware is skipped for OpenAI models, which cache automatically."""
from langchain.agents import create_agent
from langchain_anthropic.middleware import AnthropicPromptCachingMiddleware
from langchain_openai import ChatOpenAI

from .tools import search_docs

agent = create_agent(
    model=ChatOpenAI(model="gpt-4.1"),
    tools=[search_docs],
    system_prompt=open("docs_agent.md").read(),
    middleware=[AnthropicPromptCachingMiddleware(unsupported_model_behavior="ignore")],
)
