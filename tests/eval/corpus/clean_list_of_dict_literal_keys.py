"""list(dict_literal) keeps the literal's order, so the joined capability list is stable."""
from openai import OpenAI

client = OpenAI()

CAPABILITIES = {
    "summarise": "condense long text",
    "translate": "translate between 30 languages",
    "rewrite": "change tone or reading level",
}

SYSTEM = "You are a writing assistant. Capabilities: " + ", ".join(list(CAPABILITIES)) + "."


def run(text: str, history: list[dict]) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": SYSTEM}, *history, {"role": "user", "content": text}],
    )
    return completion.choices[0].message.content
