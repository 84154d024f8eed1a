"""prompt_cache_key derived from the tenant; the request id only goes to metadata."""
import uuid

from openai import OpenAI

client = OpenAI()
SYSTEM = open("system.md").read()


def complete(tenant_id: str, messages: list[dict]) -> str:
    request_id = str(uuid.uuid4())
    completion = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "system", "content": SYSTEM}, *messages],
        prompt_cache_key=f"tenant-{tenant_id}",
        metadata={"request_id": request_id},
    )
    return completion.choices[0].message.content
