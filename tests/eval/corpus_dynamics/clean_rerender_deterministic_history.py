"""Re-renders all stored turns each step, deterministically (same bytes every time)."""
import anthropic

client = anthropic.Anthropic()


def as_messages(turn: dict) -> list[dict]:
    return [{"role": "user", "content": turn["q"]}, {"role": "assistant", "content": turn["a"]}]


def chat() -> None:
    turns: list[dict] = []
    while True:
        question = input("> ")
        messages = [m for turn in turns for m in as_messages(turn)]
        messages.append({"role": "user", "content": question})
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        turns.append({"q": question, "a": reply.content[0].text})
