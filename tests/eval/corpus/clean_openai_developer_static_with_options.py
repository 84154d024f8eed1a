"""OpenAI developer message is constant; request id and timeout are per-call options."""
import uuid

from openai import OpenAI

client = OpenAI()

DEVELOPER = {
    "role": "developer",
    "content": "You are a code explainer. Explain the snippet line by line for a junior developer.",
}


def explain(snippet: str) -> str:
    completion = client.with_options(timeout=20.0).chat.completions.create(
        model="gpt-4.1-mini",
        messages=[DEVELOPER, {"role": "user", "content": snippet}],
        extra_headers={"X-Request-Id": uuid.uuid4().hex},
    )
    return completion.choices[0].message.content
