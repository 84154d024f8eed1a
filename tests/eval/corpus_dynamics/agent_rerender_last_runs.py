"""Planner that rebuilds its prompt from the last five runs every iteration."""
import anthropic

client = anthropic.Anthropic()
KEEP_RUNS = 5


def render(run: dict) -> list[dict]:
    return [
        {"role": "user", "content": run["instruction"]},
        {"role": "assistant", "content": run["result"]},
    ]


def plan(goal: str, execute) -> None:
    runs: list[dict] = []
    instruction = goal
    for _ in range(50):
        messages = [m for run in runs[-KEEP_RUNS:] for m in render(run)]  # expect: CL501
        messages.append({"role": "user", "content": instruction})
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        result = execute(reply.content[0].text)
        runs.append({"instruction": instruction, "result": result})
        instruction = "Continue."
