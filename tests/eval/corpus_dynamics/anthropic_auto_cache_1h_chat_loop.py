"""Terminal chat using automatic caching with a one-hour TTL."""
import anthropic

client = anthropic.Anthropic()
SYSTEM = open("assistant.md").read()


def main() -> None:
    messages: list[dict] = []
    while True:
        text = input("you> ")
        if text in ("quit", "exit"):
            break
        messages.append({"role": "user", "content": text})
        reply = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1024,
            system=SYSTEM,
            messages=messages,
            cache_control={"type": "ephemeral", "ttl": "1h"},  # expect: CL409
        )
        print(reply.content[0].text)
        messages.append({"role": "assistant", "content": reply.content})
