"""Prompt fragments read with os.scandir in an async agent."""
import os

from anthropic import AsyncAnthropic

client = AsyncAnthropic()


def read_fragments(folder: str) -> list[str]:
    fragments = []
    with os.scandir(folder) as entries:  # expect: CL202
        for entry in entries:
            if entry.is_file() and entry.name.endswith(".txt"):
                with open(entry.path, encoding="utf-8") as fh:
                    fragments.append(fh.read().strip())
    return fragments


async def reply(messages: list[dict]) -> str:
    system_blocks = [{"type": "text", "text": frag} for frag in read_fragments("prompt_fragments")]
    response = await client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        system=system_blocks,
        messages=messages,
    )
    return response.content[0].text
