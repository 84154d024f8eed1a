"""Mutable memory is sent in the newest user turn; the system prompt stays constant."""
import anthropic

PERSONA = """You are Juniper, a long-term personal assistant.
The user's remembered facts arrive with each message inside <memory> tags."""


class Assistant:
    def __init__(self) -> None:
        self.client = anthropic.Anthropic()
        self.memory: list[str] = []
        self.messages: list[dict] = []

    def chat(self, text: str) -> str:
        facts = "\n".join(f"- {fact}" for fact in self.memory)
        self.messages.append({"role": "user", "content": f"<memory>\n{facts}\n</memory>\n\n{text}"})
        response = self.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            system=PERSONA,
            messages=self.messages,
            cache_control={"type": "ephemeral"},
        )
        answer = response.content[0].text
        self.messages.append({"role": "assistant", "content": answer})
        if text.lower().startswith("remember "):
            self.memory.append(text[9:])
        return answer
