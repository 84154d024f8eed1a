"""Screenshots are encoded once when captured and stored as bytes in the history."""
import base64
import io

import anthropic

client = anthropic.Anthropic()


def loop(screen) -> None:
    messages: list[dict] = []
    for _ in range(30):
        buffer = io.BytesIO()
        screen.grab().save(buffer, format="PNG")
        data = base64.b64encode(buffer.getvalue()).decode()
        messages.append({"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}]})
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
