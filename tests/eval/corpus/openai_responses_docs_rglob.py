"""Instructions list every markdown doc found with Path.rglob."""
from pathlib import Path

from openai import OpenAI

client = OpenAI()
DOCS = Path("docs")


def instructions() -> str:
    doc_list = "\n".join(f"* {p.relative_to(DOCS)}" for p in DOCS.rglob("*.md"))  # expect: CL202
    return "You answer questions about our documentation. Available pages:\n" + doc_list


def ask(question: str) -> str:
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=instructions(),
        input=question,
    )
    return response.output_text
