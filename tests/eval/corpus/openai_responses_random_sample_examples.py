"""Few-shot examples picked with unseeded random.sample into the instructions."""
import random

from openai import OpenAI

client = OpenAI()

EXAMPLES = [
    "Input: 'refund please' -> intent: refund",
    "Input: 'where is my parcel' -> intent: tracking",
    "Input: 'cancel my plan' -> intent: cancel",
    "Input: 'change address' -> intent: account",
    "Input: 'invoice copy' -> intent: billing",
    "Input: 'talk to a human' -> intent: escalate",
]


def classify(text: str) -> str:
    shots = random.sample(EXAMPLES, 3)  # expect: CL102
    instructions = "Classify the user's message into one intent.\nExamples:\n" + "\n".join(shots)
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=instructions,
        input=text,
    )
    return response.output_text.strip()
