"""The system prompt is rendered once per session from constant configuration."""
import anthropic

TEMPLATE = """You are {name}, the assistant for {product}.
Answer in {language}. Keep answers under {max_words} words.
Escalate to {escalation} when the user asks for a refund."""

CONFIG = {"name": "Pico", "product": "PicoCRM", "language": "English", "max_words": 150,
          "escalation": "billing@pico.example"}


class Session:
    def __init__(self) -> None:
        self.client = anthropic.Anthropic()
        self.system = TEMPLATE.format(**CONFIG)
        self.messages: list[dict] = []

    def send(self, text: str) -> str:
        self.messages.append({"role": "user", "content": text})
        response = self.client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=600,
            system=self.system,
            messages=self.messages,
            cache_control={"type": "ephemeral"},
        )
        answer = response.content[0].text
        self.messages.append({"role": "assistant", "content": answer})
        return answer
