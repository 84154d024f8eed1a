"""Retrieved passages at the top of the instructions, then the long constant rules."""
from openai import OpenAI

client = OpenAI()

ANSWER_RULES = """
Answer only from the passages above. If they do not contain the answer, say so.
Quote the passage id in square brackets after each sentence, e.g. [p3].
Do not merge facts from different passages unless they clearly describe the same thing.
Prefer the most recent passage when two passages disagree, and mention the disagreement.
Write for a non-expert audience. Avoid jargon; define any acronym on first use.
Use at most three paragraphs. Never speculate about future product releases.
"""


def answer(question: str, passages: list[tuple[str, str]]) -> str:
    context = "\n".join(f"[{pid}] {text}" for pid, text in passages)
    instructions = "Passages:\n" + context + "\n" + ANSWER_RULES  # expect: CL301
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=instructions,
        input=question,
    )
    return response.output_text
