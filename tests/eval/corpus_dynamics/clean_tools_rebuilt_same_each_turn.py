"""The tool list is rebuilt every turn, but always the same way."""
import anthropic

from .tools import BASE_TOOLS, FINISH_TOOL

client = anthropic.Anthropic()


def agent(task: str) -> None:
    messages = [{"role": "user", "content": task}]
    for _ in range(30):
        tools = list(BASE_TOOLS)
        tools.append(FINISH_TOOL)
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, tools=tools, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        messages.append({"role": "user", "content": input("> ")})
