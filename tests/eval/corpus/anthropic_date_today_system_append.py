"""System sections collected in a list; today's date appended (day granularity, low)."""
from datetime import date

import anthropic

client = anthropic.Anthropic()

SECTIONS = [
    "# Role\nYou are a legal research assistant for EU consumer law.",
    "# Style\nCite the article and paragraph for every statement.",
    "# Limits\nYou do not give legal advice; you summarise sources.",
]


def system_text() -> str:
    parts: list[str] = []
    parts.extend(SECTIONS)
    parts.append("# Date\nToday is " + date.today().isoformat() + ".")  # expect: CL101
    return "\n\n".join(parts)


def research(question: str, history: list[dict]) -> str:
    resp = client.messages.create(
        model="claude-opus-4-1",
        max_tokens=4000,
        system=system_text(),
        messages=[*history, {"role": "user", "content": question}],
    )
    return resp.content[0].text
