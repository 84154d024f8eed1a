"""Code-review orchestrator: one sub-agent per changed file, all started together."""
import asyncio

import anthropic

from .tools import REVIEW_TOOLS, run_tool

REVIEW_PROMPT = open("review_prompt.md").read()


class Reviewer:
    def __init__(self) -> None:
        self.client = anthropic.AsyncAnthropic()

    async def review_file(self, path: str, diff: str) -> str:
        messages = [{"role": "user", "content": f"Review {path}:\n{diff}"}]
        while True:
            reply = await self.client.messages.create(
                model="claude-opus-4-5",
                max_tokens=4096,
                tools=REVIEW_TOOLS,
                system=[{"type": "text", "text": REVIEW_PROMPT, "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
                messages=messages,
            )
            if reply.stop_reason != "tool_use":
                return reply.content[0].text
            messages.append({"role": "assistant", "content": reply.content})
            messages.append({"role": "user", "content": [run_tool(b) for b in reply.content if b.type == "tool_use"]})

    async def review(self, diffs: dict[str, str]) -> list[str]:
        tasks = []
        for path, diff in diffs.items():
            tasks.append(asyncio.create_task(self.review_file(path, diff)))  # expect: CL508
        return await asyncio.gather(*tasks)
