"""Agent that lowers the effort level after the planning phase."""
import anthropic

from .tools import TOOLS, run_tools

client = anthropic.Anthropic()


def run(task: str) -> None:
    messages = [{"role": "user", "content": task}]
    for step in range(25):
        effort = "high" if step < 3 else "low"  # expect: CL504
        reply = client.messages.create(
            model="claude-opus-4-5",
            max_tokens=4096,
            tools=TOOLS,
            output_config={"effort": effort},
            messages=messages,
        )
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason != "tool_use":
            break
        messages.append({"role": "user", "content": run_tools(reply.content)})
