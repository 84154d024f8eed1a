"""time.monotonic() only decides when to reload a static prompt file."""
import time
from pathlib import Path

import anthropic

client = anthropic.Anthropic()
PROMPT_FILE = Path("/etc/assistant/system_prompt.md")
RELOAD_EVERY = 3600.0


class PromptCache:
    def __init__(self) -> None:
        self.text = PROMPT_FILE.read_text(encoding="utf-8")
        self.loaded_at = time.monotonic()

    def get(self) -> str:
        if time.monotonic() - self.loaded_at > RELOAD_EVERY:
            self.text = PROMPT_FILE.read_text(encoding="utf-8")
            self.loaded_at = time.monotonic()
        return self.text


prompts = PromptCache()


def answer(question: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1000,
        system=prompts.get(),
        messages=[{"role": "user", "content": question}],
    )
    return response.content[0].text
