"""OpenAI: a random end-user id goes into the `user` parameter, not into messages."""
import uuid

from openai import OpenAI

client = OpenAI()

SYSTEM = {"role": "system", "content": "You are a children's storyteller. Stories are under 300 words."}


def story(topic: str, end_user: str | None = None) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[SYSTEM, {"role": "user", "content": f"A story about {topic}"}],
        user=end_user or str(uuid.uuid4()),
    )
    return completion.choices[0].message.content


if __name__ == "__main__":
    print(story("a lighthouse keeper"))
