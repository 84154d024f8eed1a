"""Agent that removes a one-shot tool from the list once it has been called."""
import anthropic

from .tools import make_tools, run_tools

client = anthropic.Anthropic()


def run(task: str) -> None:
    tools = make_tools()
    messages = [{"role": "user", "content": task}]
    while True:
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, tools=tools, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason != "tool_use":
            break
        used = {block.name for block in reply.content if block.type == "tool_use"}
        tools = [tool for tool in tools if tool["name"] not in used or tool["name"] != "setup_workspace"]  # expect: CL503
        messages.append({"role": "user", "content": run_tools(reply.content)})
