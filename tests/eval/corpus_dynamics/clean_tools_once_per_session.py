"""Tools chosen once from the task, then fixed for the whole session."""
import anthropic

from .catalog import ALL_TOOLS
from .embeddings import select_relevant_tools

client = anthropic.Anthropic()


def agent(task: str) -> None:
    tools = select_relevant_tools(ALL_TOOLS, task, k=10)
    messages = [{"role": "user", "content": task}]
    for _ in range(30):
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, tools=tools, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        messages.append({"role": "user", "content": input("> ")})
