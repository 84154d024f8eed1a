"""Voice assistant keeping a rolling deque of turns."""
from collections import deque

from openai import OpenAI

client = OpenAI()
INSTRUCTIONS = "You are a kitchen assistant. Answer in one or two sentences."


class Session:
    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
        self.turns: deque = deque(maxlen=16)  # expect: CL501

    def ask(self, transcript: str) -> str:
        self.turns.append({"role": "user", "content": transcript})
        completion = client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "system", "content": INSTRUCTIONS}, *self.turns],
            prompt_cache_key=f"kitchen-{self.user_id}",
        )
        text = completion.choices[0].message.content
        self.turns.append({"role": "assistant", "content": text})
        return text
