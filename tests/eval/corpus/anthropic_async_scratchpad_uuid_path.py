"""Per-session scratchpad directory named with a uuid, shown in the system prompt (case 17)."""
import asyncio
from pathlib import Path
from uuid import uuid4

from anthropic import AsyncAnthropic

SCRATCH_ROOT = Path("/var/lib/agent/scratch")

SYSTEM = """You are an autonomous data-cleaning agent.
Write intermediate files only into your scratchpad directory.
Never delete files you did not create."""


async def run_agent(goal: str) -> str:
    client = AsyncAnthropic()
    scratch = SCRATCH_ROOT / uuid4().hex  # expect: CL102
    scratch.mkdir(parents=True, exist_ok=True)
    messages = [{"role": "user", "content": goal}]
    reply = await client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=4096,
        system=[{"type": "text", "text": SYSTEM + f"\nScratchpad: {scratch}"}],
        messages=messages,
    )
    return reply.content[0].text


if __name__ == "__main__":
    print(asyncio.run(run_agent("Deduplicate customers.csv")))
