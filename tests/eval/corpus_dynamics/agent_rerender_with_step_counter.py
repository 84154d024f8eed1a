"""Agent that renders its whole record list again every step, each message stamped with the step."""
import anthropic

client = anthropic.Anthropic()


def run(task: str) -> None:
    records = [{"role": "user", "text": task}]
    step = 0
    while True:
        step += 1
        messages = [{"role": r["role"], "content": f"[step {step}] {r['text']}"} for r in records]  # expect: CL502
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=600, messages=messages, cache_control={"type": "ephemeral"})
        records.append({"role": "assistant", "text": reply.content[0].text})
        records.append({"role": "user", "text": input("> ")})
