"""Switches to the fallback model once on overload and stays there."""
import anthropic

client = anthropic.Anthropic()


class Session:
    def __init__(self) -> None:
        self.model = "claude-opus-4-5"
        self.history: list[dict] = []

    def ask(self, text: str):
        self.history.append({"role": "user", "content": text})
        try:
            reply = client.messages.create(model=self.model, max_tokens=1024, messages=self.history)
        except anthropic.APIStatusError:
            self.model = "claude-sonnet-4-5"
            reply = client.messages.create(model=self.model, max_tokens=1024, messages=self.history)
        self.history.append({"role": "assistant", "content": reply.content})
        return reply
