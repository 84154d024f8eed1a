"""Few-shot examples chosen with random.Random(42): the same picks every run."""
import random

from openai import OpenAI

client = OpenAI()

EXAMPLES = [
    "Q: 12 * 7? A: 84",
    "Q: 15% of 80? A: 12",
    "Q: 2^10? A: 1024",
    "Q: sqrt(144)? A: 12",
    "Q: 7 / 0.5? A: 14",
]

_rng = random.Random(42)
SHOTS = _rng.sample(EXAMPLES, 3)
INSTRUCTIONS = "Answer arithmetic questions with the number only.\n" + "\n".join(SHOTS)


def solve(question: str) -> str:
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=INSTRUCTIONS,
        input=question,
    )
    return response.output_text
