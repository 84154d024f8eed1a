"""Chat endpoint that prepends per-request retrieved notes ahead of the replayed conversation."""
from openai import OpenAI

from app.vectors import NotesIndex

client = OpenAI()
notes_index = NotesIndex("notes-prod")
SYSTEM = "You are a personal research assistant. Cite note titles when you rely on them."


def chat(history: list[dict], text: str) -> str:
    hits = notes_index.search(text, k=5)
    notes = "\n".join(f"- {h.title}: {h.snippet}" for h in hits)
    messages = [{"role": "system", "content": SYSTEM}, *history, {"role": "user", "content": text}]
    messages.insert(0, {"role": "developer", "content": "Relevant notes for this question:\n" + notes})  # expect: CL301
    completion = client.chat.completions.create(model="gpt-5", messages=messages)
    return completion.choices[0].message.content
