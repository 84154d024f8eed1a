"""Only scalar fields of the store API response reach the prompt; the full JSON is only logged."""
import json
import logging

import requests
from openai import OpenAI

client = OpenAI()
log = logging.getLogger("shopbot")


def store_info(store_id: str) -> dict:
    data = requests.get(f"https://shops.internal/api/stores/{store_id}", timeout=5).json()
    log.debug("store payload: %s", json.dumps(data))
    return data


def chat(store_id: str, history: list[dict], text: str) -> str:
    store = store_info(store_id)
    system = (
        "You are the shop assistant. Never promise delivery dates.\n"
        f"Store: {store['name']}. Currency: {store['currency']}. Returns window: {store['return_days']} days."
    )
    messages = [{"role": "system", "content": system}, *history, {"role": "user", "content": text}]
    completion = client.chat.completions.create(model="gpt-5-mini", messages=messages)
    return completion.choices[0].message.content
