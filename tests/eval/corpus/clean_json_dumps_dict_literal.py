"""json.dumps of a dict literal with constant keys: key order is fixed by the source."""
import json

from openai import OpenAI

client = OpenAI()

OUTPUT_FORMAT = json.dumps({"label": "<one of: spam, ham>", "confidence": "<0..1>", "reason": "<short>"})

SYSTEM = {
    "role": "system",
    "content": "You are a spam filter. Answer with JSON exactly in this shape: " + OUTPUT_FORMAT,
}


def classify(message: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[SYSTEM, {"role": "user", "content": message}],
        response_format={"type": "json_object"},
    )
    return completion.choices[0].message.content
