"""The system prompt is read from a file once at import and inserted at position 0."""
from pathlib import Path

from openai import OpenAI

client = OpenAI()
SYSTEM_PROMPT = (Path(__file__).parent / "prompts" / "concierge.md").read_text(encoding="utf-8")


class Concierge:
    def __init__(self) -> None:
        self.history: list[dict] = []

    def ask(self, text: str) -> str:
        self.history.append({"role": "user", "content": text})
        messages = list(self.history)
        messages.insert(0, {"role": "system", "content": SYSTEM_PROMPT})
        completion = client.chat.completions.create(model="gpt-5", messages=messages)
        answer = completion.choices[0].message.content
        self.history.append({"role": "assistant", "content": answer})
        return answer
