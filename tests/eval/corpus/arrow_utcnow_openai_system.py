"""Third-party clock (arrow) rendered into an OpenAI system message."""
import arrow
from openai import OpenAI

client = OpenAI()

BASE = (
    "You are a logistics assistant. Estimate delivery windows from carrier data. "
    "Never promise a delivery time the carrier has not confirmed. "
)


def system_message() -> dict:
    local = arrow.utcnow().to("Europe/Berlin")  # expect: CL101
    return {"role": "system", "content": BASE + "Local dispatch time: " + local.format("HH:mm")}


def estimate(question: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o",
        messages=[system_message(), {"role": "user", "content": question}],
    )
    return response.choices[0].message.content
