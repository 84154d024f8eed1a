"""Session object: the start time is captured in __init__ and rendered into system.

Frozen per process/session, so a lower severity, but every new session and every
worker restart writes a fresh cache entry.
"""
from datetime import datetime

import anthropic

PROMPT = """You are a pair-programming assistant inside the Acme IDE.
Keep answers short and show code in fenced blocks.
When you modify a file, show a unified diff."""


class ChatSession:
    def __init__(self, user: str) -> None:
        self.client = anthropic.Anthropic()
        self.user = user
        self.started_at = datetime.now()  # expect: CL101
        self.messages: list[dict] = []

    def system(self) -> str:
        return f"{PROMPT}\nSession started {self.started_at:%Y-%m-%d %H:%M}."

    def send(self, text: str) -> str:
        self.messages.append({"role": "user", "content": text})
        reply = self.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=2048,
            system=self.system(),
            messages=self.messages,
            cache_control={"type": "ephemeral"},
        )
        content = reply.content[0].text
        self.messages.append({"role": "assistant", "content": content})
        return content
