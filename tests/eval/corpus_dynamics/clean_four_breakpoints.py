"""Exactly four breakpoints: tools, system, and two in the messages."""
import anthropic

from .tools import TOOLS_WITH_LAST_MARKED

client = anthropic.Anthropic()
BP = {"type": "ephemeral"}
MANUAL = open("manual.md").read()
SAMPLES = open("samples.md").read()


def ask(question: str):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        tools=TOOLS_WITH_LAST_MARKED,
        system=[{"type": "text", "text": MANUAL, "cache_control": BP}],
        messages=[
            {"role": "user", "content": [{"type": "text", "text": SAMPLES, "cache_control": BP}]},
            {"role": "assistant", "content": [{"type": "text", "text": "I have read the samples.", "cache_control": BP}]},
            {"role": "user", "content": question},
        ],
    )
