"""Tiny translation helper that tries to cache its two-line system prompt."""
import anthropic

client = anthropic.Anthropic()


def translate(text: str, target: str) -> str:
    message = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=400,
        system=[
            {
                "type": "text",
                "text": "You translate text. Keep formatting, names and numbers unchanged. Reply with the translation only.",
                "cache_control": {"type": "ephemeral"},  # expect: CL404
            }
        ],
        messages=[{"role": "user", "content": f"Translate to {target}:\n{text}"}],
    )
    return message.content[0].text
