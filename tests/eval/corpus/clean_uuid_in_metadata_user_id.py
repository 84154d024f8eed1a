"""An anonymous per-visitor uuid goes into metadata.user_id only."""
from uuid import uuid4

import anthropic

client = anthropic.Anthropic()

SYSTEM = "You are a museum guide. Answer questions about the current exhibition in two paragraphs."


class Visitor:
    def __init__(self) -> None:
        self.anon_id = uuid4().hex
        self.messages: list[dict] = []

    def ask(self, question: str) -> str:
        self.messages.append({"role": "user", "content": question})
        response = client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=700,
            system=SYSTEM,
            messages=self.messages,
            metadata={"user_id": self.anon_id},
        )
        answer = response.content[0].text
        self.messages.append({"role": "assistant", "content": answer})
        return answer
