"""Tool schema and examples from pydantic: field order is fixed by the class definition."""
import anthropic
from pydantic import BaseModel, Field

client = anthropic.Anthropic()


class CreateTicket(BaseModel):
    title: str = Field(description="Short summary of the problem")
    severity: int = Field(ge=1, le=4, description="1 is most severe")
    component: str = Field(description="Affected component")


EXAMPLE = CreateTicket(title="Login fails on Safari", severity=2, component="auth")

TOOLS = [
    {
        "name": "create_ticket",
        "description": "Create a ticket. Example input: " + EXAMPLE.model_dump_json(),
        "input_schema": CreateTicket.model_json_schema(),
    }
]


def file_ticket(report: str):
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=500,
        tools=TOOLS,
        messages=[{"role": "user", "content": report}],
    )
