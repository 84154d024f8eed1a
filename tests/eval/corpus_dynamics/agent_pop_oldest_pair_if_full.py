"""Slack agent that drops the oldest exchange whenever the history exceeds 24 messages."""
import anthropic

client = anthropic.Anthropic()
LIMIT = 24


class SlackAgent:
    def __init__(self, system: str) -> None:
        self.system = system
        self.history: list[dict] = []

    def handle(self, text: str) -> str:
        self.history.append({"role": "user", "content": text})
        if len(self.history) > LIMIT:
            self.history = self.history[2:]  # expect: CL501
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=700, system=self.system, messages=self.history)
        self.history.append({"role": "assistant", "content": reply.content[0].text})
        return reply.content[0].text
