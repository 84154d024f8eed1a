"""A tool's JSON-schema enum is list(set(...)): the enum order changes per process."""
from openai import OpenAI

client = OpenAI()


def routing_tool(departments: list[str]) -> dict:
    unique = list(set(departments))  # expect: CL201
    return {
        "type": "function",
        "name": "route_ticket",
        "description": "Route the ticket to exactly one department.",
        "parameters": {
            "type": "object",
            "properties": {"department": {"type": "string", "enum": unique}},
            "required": ["department"],
        },
    }


def route(ticket: str, departments: list[str]) -> str:
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions="You route support tickets.",
        input=ticket,
        tools=[routing_tool(departments)],
        tool_choice="required",
    )
    return response.output[0].arguments
