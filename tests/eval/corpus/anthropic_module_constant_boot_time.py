"""A module-level constant computed at import: frozen per process, still a buster."""
import datetime

import anthropic

BOOT_STAMP = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")  # expect: CL101

SYSTEM_PROMPT = (
    "You are the internal HR policy assistant. Answer from the policy handbook only. "
    "If the handbook does not cover a question, say so and suggest contacting HR. "
    f"Handbook index loaded at {BOOT_STAMP}."
)

client = anthropic.Anthropic()


def handle(question: str) -> str:
    message = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=600,
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": question}],
    )
    return message.content[0].text
