"""Chat loop that inserts an updated 'earlier turns' note right after the first message each turn."""
import anthropic

client = anthropic.Anthropic()


def chat(opening: str) -> None:
    history = [{"role": "user", "content": opening}]
    turn = 0
    while True:
        turn += 1
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=history)
        history.append({"role": "assistant", "content": reply.content})
        history.append({"role": "user", "content": input("> ")})
        history.insert(1, {"role": "assistant", "content": f"(Conversation so far: {turn} turns.)"})  # expect: CL502
