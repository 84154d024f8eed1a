"""Static system prompt and a user-turn renderer that carries the time (send side: client.py)."""
from datetime import datetime

PERSONA = """You are Quill, a writing assistant for a newsroom.
Follow the house style guide: Oxford comma, numbers under ten in words,
no exclamation marks in headlines. Flag unverifiable claims for the editor."""


def render_system(desk: str) -> str:
    return f"{PERSONA}\nDesk: {desk}"


def render_user(draft: str) -> str:
    stamp = datetime.now().strftime("%d %b %Y, %H:%M")
    return f"Edition clock: {stamp}\nEdit this draft for style and accuracy:\n\n{draft}"


def render_followup(question: str) -> str:
    return f"Follow-up from the editor:\n{question}"


__all__ = ["render_system", "render_user", "render_followup"]
