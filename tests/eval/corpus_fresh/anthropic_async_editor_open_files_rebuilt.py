"""Async IDE agent: the list of open files is rendered into the system prompt on every turn."""
from anthropic import AsyncAnthropic

client = AsyncAnthropic()
EDITOR_PROMPT = "You are an IDE assistant. Prefer small, reviewable edits and explain each change."


class EditorSession:
    def __init__(self, project: str) -> None:
        self.project = project
        self.open_files: list[str] = []
        self.history: list[dict] = []

    async def build_system(self) -> str:
        listing = "\n".join(f"- {path}" for path in self.open_files)
        return f"{EDITOR_PROMPT}\nProject: {self.project}\nOpen files:\n{listing}"

    def open(self, path: str) -> None:
        if path not in self.open_files:
            self.open_files.append(path)

    async def send(self, text: str) -> str:
        self.history.append({"role": "user", "content": text})
        system = await self.build_system()  # expect: CL302
        reply = await client.messages.create(
            model="claude-sonnet-4-5", max_tokens=1500, system=system, messages=self.history)
        self.history.append({"role": "assistant", "content": reply.content})
        return reply.content[0].text
