"""A fresh session id minted per request and written into the system prompt."""
import uuid

import anthropic

client = anthropic.Anthropic()

AGENT_PROMPT = """You are a coding agent working in a sandboxed repository.
Run the tests after every change. Do not touch files outside the repository.
Report what you changed as a bullet list."""


def run_task(task: str) -> str:
    session_id = uuid.uuid4()  # expect: CL102
    system = f"{AGENT_PROMPT}\nSession: {session_id}"
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=4096,
        system=system,
        messages=[{"role": "user", "content": task}],
    )
    return response.content[0].text
