"""Research loop that re-renders the instructions with the remaining token budget each round."""
from openai import OpenAI

client = OpenAI()
BASE_INSTRUCTIONS = "You are a research agent. Use web_search, then write a cited summary."


def budget_instructions(remaining: int, rounds_left: int) -> str:
    return f"{BASE_INSTRUCTIONS}\nBudget: {remaining} tokens and {rounds_left} rounds remaining."


def research(question: str, budget: int = 200_000, max_rounds: int = 8) -> str:
    remaining = budget
    previous_id = None
    text = question
    for round_no in range(max_rounds):
        instructions = budget_instructions(remaining, max_rounds - round_no)  # expect: CL302
        response = client.responses.create(
            model="gpt-5",
            instructions=instructions,
            input=text,
            tools=[{"type": "web_search"}],
            previous_response_id=previous_id,
        )
        remaining -= response.usage.total_tokens
        previous_id = response.id
        if response.output_text.endswith("[DONE]") or remaining <= 0:
            return response.output_text
        text = "Continue."
    return response.output_text
