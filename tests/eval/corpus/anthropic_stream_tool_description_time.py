"""Calendar agent whose tool description embeds the wall-clock time."""
import time

import anthropic

client = anthropic.Anthropic()


def calendar_tools() -> list[dict]:
    stamp = time.strftime("%H:%M")  # expect: CL101
    return [
        {
            "name": "create_event",
            "description": (
                "Create a calendar event. Times are interpreted in the user's time zone. "
                f"The local time right now is {stamp}; reject events in the past."
            ),
            "input_schema": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "start": {"type": "string", "format": "date-time"},
                    "minutes": {"type": "integer"},
                },
                "required": ["title", "start"],
            },
        }
    ]


def run(prompt: str) -> None:
    with client.messages.stream(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        tools=calendar_tools(),
        system="You manage the user's calendar. Confirm before creating events.",
        messages=[{"role": "user", "content": prompt}],
    ) as stream:
        for text in stream.text_stream:
            print(text, end="", flush=True)
