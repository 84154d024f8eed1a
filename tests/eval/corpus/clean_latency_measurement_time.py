"""time.time() measures latency for metrics only."""
import time

from openai import OpenAI

client = OpenAI()
LATENCIES: list[float] = []

SYSTEM = {"role": "system", "content": "You classify customer reviews as positive, negative or mixed."}


def classify(review: str) -> str:
    started = time.time()
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[SYSTEM, {"role": "user", "content": review}],
        max_tokens=5,
    )
    LATENCIES.append(time.time() - started)
    return completion.choices[0].message.content.strip().lower()


def p95() -> float:
    ordered = sorted(LATENCIES)
    return ordered[int(len(ordered) * 0.95)] if ordered else 0.0
