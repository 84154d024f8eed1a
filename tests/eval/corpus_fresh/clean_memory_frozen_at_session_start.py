"""Memories are loaded once when the session starts; new memories go to the newest user turn."""
import anthropic

client = anthropic.Anthropic()
BASE = "You are a long-term personal assistant. Use the memories below when they are relevant."


class Session:
    def __init__(self, memories: list[str]) -> None:
        self.memory = list(memories)
        self.system = BASE + "\n\nMemories:\n" + "\n".join(f"- {m}" for m in self.memory)
        self.history: list[dict] = []
        self.new_memories: list[str] = []

    def step(self, text: str) -> str:
        note = ""
        if self.new_memories:
            note = "New memories since the session began: " + "; ".join(self.new_memories) + "\n\n"
        self.history.append({"role": "user", "content": note + text})
        reply = client.messages.create(
            model="claude-sonnet-4-5", max_tokens=1024, system=self.system, messages=self.history)
        self.history.append({"role": "assistant", "content": reply.content})
        if "remember" in text.lower():
            self.new_memories.append(text)
        return reply.content[0].text
