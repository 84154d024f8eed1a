"""A fixed date literal (knowledge cutoff) in the system prompt is constant."""
from datetime import date

import anthropic

client = anthropic.Anthropic()

KNOWLEDGE_CUTOFF = date(2025, 1, 31)
POLICY_EFFECTIVE = "2024-07-01"

SYSTEM = (
    "You are a tax-rules assistant for freelancers in Germany. "
    f"Your knowledge ends on {KNOWLEDGE_CUTOFF.isoformat()}. "
    f"The rules below are effective from {POLICY_EFFECTIVE}. "
    "Always recommend confirming with a Steuerberater for filings."
)


def ask(question: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        system=SYSTEM,
        messages=[{"role": "user", "content": question}],
    )
    return response.content[0].text
