"""FAQ endpoint that sets a fresh prompt_cache_key on every request."""
import uuid

from openai import OpenAI

client = OpenAI()
FAQ = open("faq.md").read()


def answer(question: str) -> str:
    response = client.responses.create(
        model="gpt-5",
        instructions=FAQ,
        input=question,
        prompt_cache_key=f"faq-{uuid.uuid4().hex}",  # expect: CL506
    )
    return response.output_text
