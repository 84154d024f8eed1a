"""Step counter and budget go into the newest user message (the case 9 fix)."""
import anthropic

client = anthropic.Anthropic()

RULES = """You are an autonomous browsing agent.
Work towards the goal with as few steps as possible.
Each user message tells you the current step and remaining budget."""


def run(goal: str, max_steps: int = 20, budget: float = 2.0) -> str:
    messages: list[dict] = []
    spent = 0.0
    note = goal
    for step in range(1, max_steps + 1):
        messages.append({"role": "user", "content": f"{note}\n[step {step}/{max_steps}, budget ${budget - spent:.2f}]"})
        response = client.messages.create(
            model="claude-haiku-4-5", max_tokens=1024, system=RULES, messages=messages
        )
        spent += response.usage.input_tokens * 1e-6
        text = response.content[0].text
        messages.append({"role": "assistant", "content": text})
        if "DONE" in text:
            return text
        note = "Continue."
    return "step limit reached"
