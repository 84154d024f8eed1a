"""Merged preference dicts rendered with str() into the system message."""
from openai import OpenAI

client = OpenAI()

DEFAULT_PREFS = {"tone": "neutral", "length": "short", "units": "metric"}


def system_message(user_prefs: dict) -> dict:
    prefs = {**DEFAULT_PREFS, **user_prefs}
    prefs_text = str(prefs)  # expect: CL204
    return {
        "role": "system",
        "content": "You are a personal assistant. Respect these preferences: " + prefs_text,
    }


def reply(user_prefs: dict, history: list[dict]) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[system_message(user_prefs), *history],
    )
    return completion.choices[0].message.content
