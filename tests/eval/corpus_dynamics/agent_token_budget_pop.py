"""Agent that keeps its context under a token budget by dropping the oldest turn."""
import anthropic

from .tokens import count_tokens
from .tools import TOOLS, execute

client = anthropic.Anthropic()
BUDGET = 60_000


def solve(task: str) -> str:
    messages = [{"role": "user", "content": task}]
    while True:
        while count_tokens(messages) > BUDGET and len(messages) > 2:
            del messages[0]  # expect: CL501
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, tools=TOOLS, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason != "tool_use":
            return reply.content[-1].text
        messages.append({"role": "user", "content": execute(reply.content)})
