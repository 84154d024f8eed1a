"""Browser agent that rewrites its first (system) message with the step count."""
from openai import OpenAI

client = OpenAI()
BASE = open("browser_agent.md").read()


def browse(goal: str, act, max_steps: int = 25) -> None:
    messages = [{"role": "system", "content": BASE}, {"role": "user", "content": goal}]
    for step in range(max_steps):
        messages[0]["content"] = f"{BASE}\n\nYou are on step {step + 1} of {max_steps}."  # expect: CL502
        completion = client.chat.completions.create(model="gpt-4.1", messages=messages)
        action = completion.choices[0].message.content
        messages.append({"role": "assistant", "content": action})
        messages.append({"role": "user", "content": act(action)})
