"""Docs found with Path.rglob are sorted before they are listed in the instructions."""
from pathlib import Path

from openai import OpenAI

client = OpenAI()
DOCS = Path("docs")


def instructions() -> str:
    pages = sorted(DOCS.rglob("*.md"), key=str)
    doc_list = "\n".join(f"* {p.relative_to(DOCS)}" for p in pages)
    return "You answer questions about our documentation. Available pages:\n" + doc_list


def ask(question: str) -> str:
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=instructions(),
        input=question,
    )
    return response.output_text
