"""Request time sent as an HTTP header for the gateway's logs; the prompt is static."""
from datetime import datetime, timezone

from openai import OpenAI

client = OpenAI()

SYSTEM = "You are a regex assistant. Return one regular expression and one sentence explaining it."


def regex_for(description: str) -> str:
    sent_at = datetime.now(timezone.utc).isoformat()
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": description},
        ],
        extra_headers={"X-Client-Sent-At": sent_at},
    )
    return completion.choices[0].message.content
