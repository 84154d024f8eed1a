"""Conversation key built from the conversation id before the loop."""
from openai import OpenAI

client = OpenAI()


def session(conversation_id: str) -> None:
    key = f"conv-{conversation_id}"
    messages = [{"role": "system", "content": "You are a tutor."}]
    while True:
        messages.append({"role": "user", "content": input("> ")})
        completion = client.chat.completions.create(model="gpt-4o", messages=messages, prompt_cache_key=key)
        messages.append({"role": "assistant", "content": completion.choices[0].message.content})
