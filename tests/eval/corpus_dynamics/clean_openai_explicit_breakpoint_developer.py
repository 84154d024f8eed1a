"""GPT-5.6 agent with explicit cache mode and one breakpoint at the end of the developer message."""
from openai import OpenAI

from .tools import TOOLS, run_tool

client = OpenAI()
DEVELOPER = open("research_agent.md").read()
CACHE_OPTIONS = {"mode": "explicit", "ttl": "30m"}


def research(question: str) -> str:
    items = [
        {"role": "developer", "content": [{"type": "input_text", "text": DEVELOPER, "prompt_cache_breakpoint": {"mode": "explicit"}}]},
        {"role": "user", "content": [{"type": "input_text", "text": question}]},
    ]
    while True:
        response = client.responses.create(model="gpt-5.6", tools=TOOLS, input=items, prompt_cache_options=CACHE_OPTIONS)
        calls = [item for item in response.output if item.type == "function_call"]
        if not calls:
            return response.output_text
        items.extend(response.output)
        items.extend({"type": "function_call_output", "call_id": c.call_id, "output": run_tool(c)} for c in calls)
