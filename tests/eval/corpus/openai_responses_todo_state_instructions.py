"""Instructions rebuilt from a mutating todo list on every Responses call."""
import json

from openai import OpenAI

client = OpenAI()

BASE = (
    "You are a planning agent. Work through the todo list in order. "
    "Mark items done with the complete_item tool."
)

TOOLS = [
    {
        "type": "function",
        "name": "complete_item",
        "description": "Mark a todo item as done.",
        "parameters": {"type": "object", "properties": {"index": {"type": "integer"}}, "required": ["index"]},
    }
]


class Planner:
    def __init__(self, todos: list[str]) -> None:
        self.todos = [{"text": t, "done": False} for t in todos]

    def render_instructions(self) -> str:
        lines = [f"[{'x' if t['done'] else ' '}] {i}. {t['text']}" for i, t in enumerate(self.todos)]
        return BASE + "\n\nTodo list:\n" + "\n".join(lines)

    def run(self, goal: str) -> None:
        conversation: list = [{"role": "user", "content": goal}]
        while not all(t["done"] for t in self.todos):
            response = client.responses.create(  # expect: CL302
                model="gpt-4.1", instructions=self.render_instructions(), input=conversation, tools=TOOLS
            )
            conversation += response.output
            for item in response.output:
                if item.type == "function_call":
                    self.todos[json.loads(item.arguments)["index"]]["done"] = True
                    conversation.append({"type": "function_call_output", "call_id": item.call_id, "output": "ok"})
