"""A memoised pure builder over constants: called per request, same bytes every time."""
import functools

from openai import OpenAI

client = OpenAI()

PERSONA = "You are a wine pairing assistant."
RULES = ("Suggest one red and one white.", "Mention the grape.", "Stay under 80 words.")


@functools.cache
def system_prompt() -> str:
    return PERSONA + "\n" + "\n".join(f"- {rule}" for rule in RULES)


def pair(dish: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": system_prompt()},
            {"role": "user", "content": dish},
        ],
    )
    return completion.choices[0].message.content
