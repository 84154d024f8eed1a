"""Agent instance id set in __init__, rendered into system (per session: medium)."""
import uuid

from anthropic import Anthropic

BASE_SYSTEM = """You are a browser automation agent.
Use the click and type tools; never guess selectors.
Stop and ask when a page requires payment details."""

BROWSER_TOOLS = [
    {"name": "click", "description": "Click an element by CSS selector.",
     "input_schema": {"type": "object", "properties": {"selector": {"type": "string"}}}},
    {"name": "type", "description": "Type text into the focused element.",
     "input_schema": {"type": "object", "properties": {"text": {"type": "string"}}}},
]


class BrowserAgent:
    def __init__(self) -> None:
        self.client = Anthropic()
        self.agent_id = uuid.uuid4().hex  # expect: CL102
        self.history: list[dict] = []

    def step(self, observation: str):
        self.history.append({"role": "user", "content": observation})
        return self.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            tools=BROWSER_TOOLS,
            system=BASE_SYSTEM + "\nAgent instance: " + self.agent_id,
            messages=self.history,
        )
