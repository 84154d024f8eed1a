"""Computer-use loop that rebuilds every screenshot block from PIL images each step."""
import base64
import io

import anthropic

client = anthropic.Anthropic()


def encode(image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return base64.b64encode(buffer.getvalue()).decode()


def loop(goal: str, screen) -> None:
    screenshots = []
    notes = [goal]
    for _ in range(30):
        screenshots.append(screen.grab())
        content = [{"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": encode(s)}} for s in screenshots]  # expect: CL507
        messages = [{"role": "user", "content": content + [{"type": "text", "text": "\n".join(notes)}]}]
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        notes.append(reply.content[0].text)
