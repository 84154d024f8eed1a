"""Agent that compacts its history into a summary once it exceeds a token budget."""
import anthropic

from .tokens import count_tokens

client = anthropic.Anthropic()
COMPACT_AT = 120_000


def summarize(messages: list[dict]) -> str:
    reply = client.messages.create(model="claude-haiku-4-5", max_tokens=2000, messages=[*messages, {"role": "user", "content": "Summarize the work so far."}])
    return reply.content[0].text


def run(task: str) -> None:
    messages = [{"role": "user", "content": task}]
    while True:
        if count_tokens(messages) > COMPACT_AT:
            summary = summarize(messages)
            messages = [{"role": "user", "content": f"{task}\n\nSummary of earlier work:\n{summary}"}] + messages[-6:]
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=4096, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
        messages.append({"role": "user", "content": input("> ")})
