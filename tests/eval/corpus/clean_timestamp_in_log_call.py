"""The current time is logged next to the request, never sent in the prompt."""
import logging
from datetime import datetime

import anthropic

logger = logging.getLogger("assistant")
client = anthropic.Anthropic()

SYSTEM = (
    "You are a proofreading assistant. Fix grammar and spelling only. "
    "Return the corrected text without commentary."
)


def proofread(text: str) -> str:
    started = datetime.now()
    logger.info("proofread request at %s (%d chars)", started.isoformat(), len(text))
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=2000,
        system=SYSTEM,
        messages=[{"role": "user", "content": text}],
    )
    logger.debug("proofread finished at %s", datetime.now().isoformat())
    return response.content[0].text
