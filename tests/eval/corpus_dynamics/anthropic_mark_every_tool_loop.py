"""Tool registry that marks every tool as cacheable before each request."""
import anthropic

from .registry import load_tools

client = anthropic.Anthropic()


def prepare_tools() -> list[dict]:
    tools = load_tools()
    for tool in tools:
        tool["cache_control"] = {"type": "ephemeral"}  # expect: CL402
    return tools


def run_agent(task: str):
    tools = prepare_tools()
    messages = [{"role": "user", "content": task}]
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, tools=tools, messages=messages)
