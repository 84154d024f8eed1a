"""Best-of-n drafting: the same prompt sampled four times in parallel, then ranked."""
import asyncio

import anthropic

from .ranking import pick_best

client = anthropic.AsyncAnthropic()
BRIEF = open("campaign_brief.md").read()


async def draft(brief: str) -> str:
    samples = await asyncio.gather(*[  # expect: CL508
        client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1500,
            temperature=1.0,
            messages=[{"role": "user", "content": [{"type": "text", "text": brief, "cache_control": {"type": "ephemeral"}}]}],
        )
        for _ in range(4)
    ])
    return pick_best([s.content[0].text for s in samples])
