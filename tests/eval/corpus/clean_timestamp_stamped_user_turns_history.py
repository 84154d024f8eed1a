"""Each new user turn is stamped once and appended; earlier turns are never rewritten."""
from datetime import datetime

from anthropic import Anthropic

SYSTEM_PROMPT = """You are a fitness coach. Track the user's workouts across the conversation.
Suggest progressive overload carefully and ask about pain before adding weight."""


class CoachChat:
    def __init__(self) -> None:
        self.client = Anthropic()
        self.messages: list[dict] = []

    def send(self, text: str) -> str:
        stamp = datetime.now().strftime("%a %H:%M")
        self.messages.append({"role": "user", "content": f"[{stamp}] {text}"})
        response = self.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            system=SYSTEM_PROMPT,
            messages=self.messages,
            cache_control={"type": "ephemeral"},
        )
        reply = response.content[0].text
        self.messages.append({"role": "assistant", "content": reply})
        return reply
