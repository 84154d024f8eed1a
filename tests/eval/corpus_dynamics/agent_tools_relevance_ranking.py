"""Agent that picks the 10 most relevant tools for the latest user message."""
import anthropic

from .catalog import ALL_TOOLS
from .embeddings import select_relevant_tools

client = anthropic.Anthropic()


def agent(task: str) -> None:
    messages = [{"role": "user", "content": task}]
    query = task
    for _ in range(30):
        tools = select_relevant_tools(ALL_TOOLS, query, k=10)  # expect: CL503
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, tools=tools, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        query = input("> ")
        messages.append({"role": "user", "content": query})
