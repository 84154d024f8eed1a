"""Agent that turns extended thinking off for tool continuations."""
import anthropic

from .tools import TOOLS, run_tools

client = anthropic.Anthropic()
THINKING = {"type": "enabled", "budget_tokens": 4000}


def run(task: str) -> None:
    messages = [{"role": "user", "content": task}]
    last_stop = None
    while True:
        reply = client.messages.create(
            model="claude-opus-4-5",
            max_tokens=8000,
            tools=TOOLS,
            thinking={"type": "disabled"} if last_stop == "tool_use" else THINKING,  # expect: CL504
            messages=messages,
        )
        last_stop = reply.stop_reason
        messages.append({"role": "assistant", "content": reply.content})
        if last_stop != "tool_use":
            break
        messages.append({"role": "user", "content": run_tools(reply.content)})
