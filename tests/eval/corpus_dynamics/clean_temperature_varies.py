"""Brainstorming loop that raises temperature and max_tokens per round (not cache keys)."""
import anthropic

client = anthropic.Anthropic()


def brainstorm(topic: str) -> None:
    messages = [{"role": "user", "content": f"Ideas about {topic}?"}]
    for round_ in range(5):
        reply = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=500 + 100 * round_,
            temperature=min(1.0, 0.5 + round_ * 0.1),
            tool_choice={"type": "auto"},
            tools=[],
            messages=messages,
        )
        messages.append({"role": "assistant", "content": reply.content})
        messages.append({"role": "user", "content": "More, different ones."})
