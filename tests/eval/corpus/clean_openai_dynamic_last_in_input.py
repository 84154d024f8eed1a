"""OpenAI Responses: constant instructions, retrieved passages at the end of the input."""
from openai import OpenAI

client = OpenAI()

ANSWER_RULES = """Answer only from the passages the user provides. If they do not contain
the answer, say so. Quote the passage id in square brackets after each sentence.
Prefer the most recent passage when two passages disagree, and mention the disagreement."""


def answer(question: str, passages: list[tuple[str, str]]) -> str:
    context = "\n".join(f"[{pid}] {text}" for pid, text in passages)
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=ANSWER_RULES,
        input=[
            {"role": "user", "content": f"Passages:\n{context}\n\nQuestion: {question}"},
        ],
    )
    return response.output_text
