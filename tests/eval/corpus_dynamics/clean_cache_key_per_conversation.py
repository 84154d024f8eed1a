"""prompt_cache_key minted once per conversation object."""
import uuid

from openai import OpenAI

client = OpenAI()


class Thread:
    def __init__(self) -> None:
        self.key = f"thread-{uuid.uuid4()}"
        self.items: list[dict] = []

    def say(self, text: str) -> str:
        self.items.append({"role": "user", "content": text})
        response = client.responses.create(model="gpt-5", instructions="Be helpful.", input=self.items, prompt_cache_key=self.key)
        self.items.append({"role": "assistant", "content": response.output_text})
        return response.output_text
