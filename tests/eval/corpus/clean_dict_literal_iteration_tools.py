"""Tools built by iterating a dict literal: insertion order is fixed by the source."""
import anthropic

client = anthropic.Anthropic()

TOOL_DESCRIPTIONS = {
    "get_weather": "Current weather for a city.",
    "get_forecast": "Five-day forecast for a city.",
    "get_air_quality": "Air quality index for a city.",
}


def weather_tools() -> list[dict]:
    return [
        {
            "name": name,
            "description": description,
            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        }
        for name, description in TOOL_DESCRIPTIONS.items()
    ]


def ask(question: str):
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=600,
        tools=weather_tools(),
        system="You are a weather assistant.",
        messages=[{"role": "user", "content": question}],
    )
