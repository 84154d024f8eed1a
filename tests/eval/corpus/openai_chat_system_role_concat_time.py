"""OpenAI chat completions: the system message is concatenated with the time."""
from datetime import datetime

from openai import OpenAI

client = OpenAI()

PERSONA = (
    "You are a friendly cooking assistant. Suggest recipes using what the user has. "
    "Give quantities in grams. Mention allergens. "
)


def suggest(ingredients: list[str]) -> str:
    clock = datetime.now().strftime("%H:%M")  # expect: CL101
    system_content = PERSONA + "The user's local time is " + clock + "."
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": system_content},
            {"role": "user", "content": "I have: " + ", ".join(ingredients)},
        ],
        temperature=0.7,
    )
    return completion.choices[0].message.content
