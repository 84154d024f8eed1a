"""Per-turn memories inserted at position 0, ahead of the static system message."""
from openai import OpenAI

client = OpenAI()

STATIC_SYSTEM = {
    "role": "system",
    "content": (
        "You are a journaling companion. Reflect the user's feelings back to them, "
        "ask at most one question per reply, and never give medical advice. "
        "Suggest a short breathing exercise when the user reports stress. "
        "Keep replies under 120 words. Avoid clichés and motivational quotes. "
        "If the user mentions self-harm, share the crisis line for their country."
    ),
}


def chat(history: list[dict], memories: list[str], text: str) -> str:
    messages = [STATIC_SYSTEM, *history, {"role": "user", "content": text}]
    messages.insert(0, {"role": "system", "content": "Things you remember: " + "; ".join(memories)})  # expect: CL301
    completion = client.chat.completions.create(model="gpt-4o", messages=messages)
    return completion.choices[0].message.content
