"""A tool's enum comes from sorted(set(...)): deduplicated and canonical."""
from openai import OpenAI

client = OpenAI()


def routing_tool(departments: list[str]) -> dict:
    return {
        "type": "function",
        "name": "route_ticket",
        "description": "Route the ticket to exactly one department.",
        "parameters": {
            "type": "object",
            "properties": {"department": {"type": "string", "enum": sorted(set(departments))}},
            "required": ["department"],
        },
    }


def route(ticket: str, departments: list[str]) -> str:
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions="You route support tickets.",
        input=ticket,
        tools=[routing_tool(departments)],
    )
    return response.output[0].arguments
