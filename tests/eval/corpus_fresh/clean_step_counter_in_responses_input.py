"""Agent loop with a step counter and budget, both sent in the input, never in the instructions."""
from openai import OpenAI

client = OpenAI()
INSTRUCTIONS = "You are a data-cleaning agent. Call the tools until the dataset validates, then stop."
TOOLS = [{"type": "function", "name": "run_validation", "parameters": {"type": "object", "properties": {}}}]


def clean_dataset(task: str, max_steps: int = 12) -> str:
    previous_id = None
    step = 0
    spent = 0
    text = task
    while step < max_steps:
        step += 1
        response = client.responses.create(
            model="gpt-5",
            instructions=INSTRUCTIONS,
            tools=TOOLS,
            input=f"[step {step}/{max_steps}, {spent} tokens spent] {text}",
            previous_response_id=previous_id,
        )
        spent += response.usage.total_tokens
        previous_id = response.id
        if "VALID" in response.output_text:
            break
        text = "Continue."
    return response.output_text
