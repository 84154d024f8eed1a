"""Summarises the last 20 messages of a stored thread: a single call, not a conversation loop."""
from openai import OpenAI

client = OpenAI()


def summarize_thread(thread: list[dict]) -> str:
    recent = thread[-20:]
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": "Summarize the discussion."}, *recent],
    )
    return completion.choices[0].message.content
