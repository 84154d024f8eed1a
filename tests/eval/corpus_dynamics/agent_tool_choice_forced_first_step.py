"""Agent that forces a planning tool on the first step and lets the model choose afterwards."""
import anthropic

from .tools import TOOLS, run_tools

client = anthropic.Anthropic()


def run(task: str) -> None:
    messages = [{"role": "user", "content": task}]
    tool_choice = {"type": "tool", "name": "make_plan"}
    while True:
        reply = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=2048,
            tools=TOOLS,
            tool_choice=tool_choice,
            messages=messages,
        )
        tool_choice = {"type": "auto"}  # expect: CL504
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason != "tool_use":
            break
        messages.append({"role": "user", "content": run_tools(reply.content)})
