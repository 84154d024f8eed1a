"""Conversation with top-level automatic caching (default TTL): the breakpoint moves with the tail."""
import anthropic

client = anthropic.Anthropic()


class Conversation:
    def __init__(self, system: str) -> None:
        self.system = system
        self.messages: list[dict] = []

    def send(self, text: str) -> str:
        self.messages.append({"role": "user", "content": text})
        reply = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            system=self.system,
            messages=self.messages,
            cache_control={"type": "ephemeral"},
        )
        self.messages.append({"role": "assistant", "content": reply.content})
        return reply.content[0].text
