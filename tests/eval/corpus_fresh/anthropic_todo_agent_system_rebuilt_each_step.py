"""Coding agent that keeps a todo list in the system prompt and re-renders it every step."""
import anthropic

client = anthropic.Anthropic()
BASE_PROMPT = "You are a careful coding agent. Work through the todo list one item at a time."
TOOLS = [
    {"name": "add_todo", "description": "Add a todo item.",
     "input_schema": {"type": "object", "properties": {"item": {"type": "string"}}, "required": ["item"]}},
    {"name": "complete_todo", "description": "Mark a todo item done.",
     "input_schema": {"type": "object", "properties": {"index": {"type": "integer"}}, "required": ["index"]}},
]


class TodoAgent:
    def __init__(self) -> None:
        self.todos: list[str] = []
        self.messages: list[dict] = []

    def render_system(self) -> str:
        items = "\n".join(f"{i}. {t}" for i, t in enumerate(self.todos)) or "(empty)"
        return f"{BASE_PROMPT}\n\n## Current todo list\n{items}"

    def apply(self, block) -> str:
        if block.name == "add_todo":
            self.todos.append(block.input["item"])
        else:
            self.todos.pop(block.input["index"])
        return "ok"

    def run(self, task: str, max_steps: int = 20) -> None:
        self.messages.append({"role": "user", "content": task})
        for _ in range(max_steps):
            system = self.render_system()  # expect: CL302
            reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, system=system,
                                           tools=TOOLS, messages=self.messages)
            self.messages.append({"role": "assistant", "content": reply.content})
            calls = [b for b in reply.content if b.type == "tool_use"]
            if not calls:
                return
            self.messages.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": b.id, "content": self.apply(b)} for b in calls]})
