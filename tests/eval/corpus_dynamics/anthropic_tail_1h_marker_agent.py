"""Agent loop that moves a one-hour breakpoint to the newest message each step."""
import anthropic

from .tools import TOOLS, run_tool

client = anthropic.Anthropic()
LONG_TTL = {"type": "ephemeral", "ttl": "1h"}


def agent(task: str) -> str:
    messages = [{"role": "user", "content": [{"type": "text", "text": task}]}]
    for _ in range(40):
        for message in messages:
            message["content"][-1].pop("cache_control", None)
        messages[-1]["content"][-1]["cache_control"] = LONG_TTL  # expect: CL409
        reply = client.messages.create(model="claude-opus-4-5", max_tokens=4096, tools=TOOLS, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason != "tool_use":
            return reply.content[-1].text
        results = [run_tool(block) for block in reply.content if block.type == "tool_use"]
        messages.append({"role": "user", "content": results})
    return ""
