"""Chat with a cost router choosing the model for each user message."""
import anthropic

from .router import route_model

client = anthropic.Anthropic()


class Assistant:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    def ask(self, text: str) -> str:
        self.messages.append({"role": "user", "content": text})
        model = route_model(text)  # expect: CL505
        reply = client.messages.create(model=model, max_tokens=1024, messages=self.messages)
        self.messages.append({"role": "assistant", "content": reply.content})
        return reply.content[0].text
