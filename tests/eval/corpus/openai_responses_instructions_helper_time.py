"""OpenAI Responses API: instructions come from a helper that stamps the time."""
from datetime import datetime

from openai import OpenAI

client = OpenAI()


def current_time_line() -> str:
    return "Current date and time: " + datetime.now().strftime("%Y-%m-%d %H:%M:%S")  # expect: CL101


def instructions() -> str:
    rules = [
        "You are a shell assistant for Linux servers.",
        "Prefer commands that are safe to re-run.",
        "Explain every flag you use.",
    ]
    return "\n".join(rules + [current_time_line()])


def ask(question: str) -> str:
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=instructions(),
        input=question,
        tools=[
            {
                "type": "function",
                "name": "run_readonly",
                "description": "Run a read-only shell command and return stdout.",
                "parameters": {
                    "type": "object",
                    "properties": {"cmd": {"type": "string"}},
                    "required": ["cmd"],
                },
            }
        ],
    )
    return response.output_text
