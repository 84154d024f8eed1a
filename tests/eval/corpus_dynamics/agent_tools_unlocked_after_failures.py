"""Agent that adds a web-search tool once it has failed twice."""
import anthropic

from .tools import BASE_TOOLS, WEB_SEARCH, run_tools

client = anthropic.Anthropic()


def solve(problem: str) -> str:
    messages = [{"role": "user", "content": problem}]
    failures = 0
    for _ in range(20):
        tools = list(BASE_TOOLS)
        if failures >= 2:
            tools.append(WEB_SEARCH)  # expect: CL503
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, tools=tools, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason == "end_turn":
            return reply.content[-1].text
        results = run_tools(reply.content)
        if any(r.get("is_error") for r in results):
            failures += 1
        messages.append({"role": "user", "content": results})
    return ""
