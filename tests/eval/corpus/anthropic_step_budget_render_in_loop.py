"""Agent loop re-renders the system prompt with the step counter and budget (case 9)."""
import anthropic

client = anthropic.Anthropic()

RULES = """You are an autonomous browsing agent.
Work towards the goal with as few steps as possible.
Stop when the goal is reached and report the result."""


def render_system(step: int, max_steps: int, budget_left: float) -> str:
    return f"{RULES}\n\nStep {step} of {max_steps}. Remaining budget: ${budget_left:.2f}."


def run(goal: str, max_steps: int = 20, budget: float = 2.0) -> str:
    messages = [{"role": "user", "content": goal}]
    spent = 0.0
    for step in range(1, max_steps + 1):
        system = render_system(step, max_steps, budget - spent)  # expect: CL302
        response = client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=1024,
            system=system,
            messages=messages,
        )
        spent += response.usage.input_tokens * 1e-6
        text = response.content[0].text
        messages.append({"role": "assistant", "content": text})
        if "DONE" in text:
            return text
        messages.append({"role": "user", "content": "Continue."})
    return "step limit reached"
