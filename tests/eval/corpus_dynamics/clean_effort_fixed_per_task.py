"""Effort chosen once per task from its difficulty, constant across the loop."""
import anthropic

from .tools import TOOLS, run_tools

client = anthropic.Anthropic()


def run(task: str, hard: bool) -> None:
    effort = "high" if hard else "medium"
    messages = [{"role": "user", "content": task}]
    for step in range(25):
        reply = client.messages.create(model="claude-opus-4-5", max_tokens=4096, tools=TOOLS, output_config={"effort": effort}, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason != "tool_use":
            break
        messages.append({"role": "user", "content": run_tools(reply.content)})
