"""Tool specs arrive in completion order but are sorted by name before use."""
from concurrent.futures import ThreadPoolExecutor, as_completed

import requests
from openai import OpenAI

client = OpenAI()
SERVICES = ["http://inventory:8080", "http://pricing:8080", "http://shipping:8080"]


def fetch_spec(base_url: str) -> dict:
    return requests.get(f"{base_url}/tool-spec", timeout=5).json()


def gather_tools() -> list[dict]:
    specs = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(fetch_spec, url) for url in SERVICES]
        for future in as_completed(futures):
            specs.append(future.result())
    specs.sort(key=lambda spec: spec["name"])
    return [{"type": "function", "function": spec} for spec in specs]


def shop_assistant(messages: list[dict]):
    return client.chat.completions.create(model="gpt-4o", messages=messages, tools=gather_tools())
