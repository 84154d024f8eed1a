"""Replays a stored assistant turn with extended thinking and marks the thinking block."""
import anthropic

client = anthropic.Anthropic()


def continue_plan(plan_request: str, previous: dict, follow_up: str):
    assistant_blocks = [
        {
            "type": "thinking",
            "thinking": previous["thinking"],
            "signature": previous["signature"],
            "cache_control": {"type": "ephemeral"},  # expect: CL406
        },
        {"type": "text", "text": previous["text"]},
    ]
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=4000,
        thinking={"type": "enabled", "budget_tokens": 2000},
        messages=[
            {"role": "user", "content": plan_request},
            {"role": "assistant", "content": assistant_blocks},
            {"role": "user", "content": follow_up},
        ],
    )
