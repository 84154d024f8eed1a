"""time.time() and random jitter drive retries; the request never changes."""
import random
import time

import anthropic

client = anthropic.Anthropic()
SYSTEM = "You turn bug reports into reproducible steps. Number the steps."


def with_retries(report: str, attempts: int = 4):
    deadline = time.time() + 60
    for attempt in range(attempts):
        try:
            return client.messages.create(
                model="claude-haiku-4-5",
                max_tokens=800,
                system=SYSTEM,
                messages=[{"role": "user", "content": report}],
            )
        except anthropic.RateLimitError:
            if time.time() > deadline:
                raise
            time.sleep(2 ** attempt + random.random())
    raise RuntimeError("gave up")
