"""Cache key built from the current time inside the chat loop."""
import time

from openai import OpenAI

client = OpenAI()


def session() -> None:
    messages = [{"role": "system", "content": "You are a tutor."}]
    while True:
        messages.append({"role": "user", "content": input("> ")})
        key = f"tutor-{time.time_ns()}"  # expect: CL506
        completion = client.chat.completions.create(model="gpt-4o", messages=messages, prompt_cache_key=key)
        messages.append({"role": "assistant", "content": completion.choices[0].message.content})
