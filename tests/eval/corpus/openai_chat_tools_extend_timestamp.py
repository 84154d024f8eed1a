"""Tools list grown with extend(); one description embeds a timestamp."""
import time

from openai import OpenAI

client = OpenAI()

BASE_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "search_docs",
            "description": "Search the product documentation.",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
        },
    }
]


def all_tools() -> list[dict]:
    tools = list(BASE_TOOLS)
    tools.extend(
        [
            {
                "type": "function",
                "function": {
                    "name": "search_status",
                    "description": "Incidents since %s." % time.strftime("%Y-%m-%dT%H:%M:%S"),  # expect: CL101
                    "parameters": {"type": "object", "properties": {}},
                },
            }
        ]
    )
    return tools


def ask(question: str):
    return client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": "You are a status-page helper."}, {"role": "user", "content": question}],
        tools=all_tools(),
    )
