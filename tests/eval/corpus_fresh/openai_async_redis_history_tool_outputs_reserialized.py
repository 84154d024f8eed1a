"""Async chat worker: history lives in Redis; tool outputs are re-serialized on each turn."""
import json

import redis.asyncio as redis
from openai import AsyncOpenAI

client = AsyncOpenAI()
store = redis.Redis(host="cache", decode_responses=True)
SYSTEM = "You are a travel assistant. Call search_flights before quoting any fare."


async def load_messages(chat_id: str) -> list[dict]:
    messages = [{"role": "system", "content": SYSTEM}]
    for raw in await store.lrange(f"chat:{chat_id}", 0, -1):
        entry = json.loads(raw)
        if entry["type"] == "tool":
            messages.append({
                "role": "tool",
                "tool_call_id": entry["call_id"],
                "content": json.dumps(entry["output"]),  # expect: CL204
            })
        elif entry["type"] == "tool_call":
            messages.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": entry["call_id"], "type": "function",
                 "function": {"name": entry["name"], "arguments": entry["arguments"]}}]})
        else:
            messages.append({"role": entry["role"], "content": entry["text"]})
    return messages


async def turn(chat_id: str, text: str) -> str:
    messages = await load_messages(chat_id)
    messages.append({"role": "user", "content": text})
    completion = await client.chat.completions.create(model="gpt-5", messages=messages)
    return completion.choices[0].message.content
