"""A dynamic RAG system block precedes the static guide that carries the breakpoint."""
import anthropic

client = anthropic.Anthropic()

STYLE_GUIDE = """You are the documentation assistant for the Orbit SDK.
Answer with short code samples in Python and TypeScript.
Prefer the async client in examples. Mention the minimum SDK version for each feature.
Link to the API reference page for every class you mention.
Do not document private methods (names starting with an underscore).
When a feature is deprecated, show the replacement first and the old way second.
Use the terms 'workspace', 'project' and 'environment' exactly as the glossary defines them:
a workspace holds projects, a project holds environments, an environment holds deployments."""


def answer(question: str, retrieved: list[str]) -> str:
    rag_text = "Relevant documentation excerpts:\n" + "\n---\n".join(retrieved)
    system_blocks = [  # expect: CL301
        {"type": "text", "text": rag_text},
        {"type": "text", "text": STYLE_GUIDE, "cache_control": {"type": "ephemeral"}},
    ]
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        system=system_blocks,
        messages=[{"role": "user", "content": question}],
    )
    return response.content[0].text
