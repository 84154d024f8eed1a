"""The system prompt is recompiled from mutable memory on every turn (cases 13, 14)."""
import anthropic

PERSONA = """You are Juniper, a long-term personal assistant.
You remember facts about the user in your memory blocks and update them with the memory tool.
Never mention the memory tool to the user."""

MEMORY_TOOL = {
    "name": "remember",
    "description": "Store a durable fact about the user.",
    "input_schema": {"type": "object", "properties": {"fact": {"type": "string"}}, "required": ["fact"]},
}


class Assistant:
    def __init__(self) -> None:
        self.client = anthropic.Anthropic()
        self.memory: list[str] = []
        self.messages: list[dict] = []

    def build_system(self) -> str:
        facts = "\n".join(f"- {fact}" for fact in self.memory)
        return f"{PERSONA}\n\n<memory>\n{facts}\n</memory>"

    def chat(self, text: str) -> str:
        self.messages.append({"role": "user", "content": text})
        while True:
            system = self.build_system()  # expect: CL302
            response = self.client.messages.create(
                model="claude-sonnet-4-5", max_tokens=1024, tools=[MEMORY_TOOL],
                system=system, messages=self.messages,
            )
            self.messages.append({"role": "assistant", "content": response.content})
            uses = [b for b in response.content if b.type == "tool_use"]
            if not uses:
                return "".join(b.text for b in response.content if b.type == "text")
            results = []
            for use in uses:
                self.memory.append(use.input["fact"])
                results.append({"type": "tool_result", "tool_use_id": use.id, "content": "stored"})
            self.messages.append({"role": "user", "content": results})
