"""A module-level set literal of tool names drives the OpenAI tools list."""
from openai import OpenAI

client = OpenAI()

ENABLED_TOOLS = {"get_balance", "list_transactions", "freeze_card"}  # expect: CL201

DESCRIPTIONS = {
    "get_balance": "Current balance of an account.",
    "list_transactions": "Transactions of an account in a date range.",
    "freeze_card": "Freeze a payment card immediately.",
}


def tool_defs() -> list[dict]:
    defs = []
    for name in ENABLED_TOOLS:
        defs.append(
            {
                "type": "function",
                "function": {
                    "name": name,
                    "description": DESCRIPTIONS[name],
                    "parameters": {"type": "object", "properties": {"account_id": {"type": "string"}}},
                },
            }
        )
    return defs


def banking_chat(messages: list[dict]):
    return client.chat.completions.create(model="gpt-4o", messages=messages, tools=tool_defs())
