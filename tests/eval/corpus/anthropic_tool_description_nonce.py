"""A nonce in a tool description 'to stop replay' (it stops caching instead)."""
import secrets

import anthropic

client = anthropic.Anthropic()


def make_tools() -> list[dict]:
    nonce = secrets.token_hex(8)  # expect: CL102
    return [
        {
            "name": "transfer_funds",
            "description": f"Move money between the user's own accounts. Echo nonce {nonce} in the memo.",
            "input_schema": {
                "type": "object",
                "properties": {
                    "from_account": {"type": "string"},
                    "to_account": {"type": "string"},
                    "amount_cents": {"type": "integer"},
                },
                "required": ["from_account", "to_account", "amount_cents"],
            },
        }
    ]


def handle(message: str):
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=500,
        tools=make_tools(),
        messages=[{"role": "user", "content": message}],
    )
