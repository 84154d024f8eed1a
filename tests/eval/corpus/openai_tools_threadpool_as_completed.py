"""Tool specs fetched from microservices in a thread pool, kept in completion order."""
from concurrent.futures import ThreadPoolExecutor, as_completed

import requests
from openai import OpenAI

client = OpenAI()
SERVICES = ["http://inventory:8080", "http://pricing:8080", "http://shipping:8080"]


def fetch_spec(base_url: str) -> dict:
    return requests.get(f"{base_url}/tool-spec", timeout=5).json()


def gather_tools() -> list[dict]:
    tools = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(fetch_spec, url) for url in SERVICES]
        for future in as_completed(futures):  # expect: CL203
            tools.append({"type": "function", "function": future.result()})
    return tools


def shop_assistant(messages: list[dict]):
    return client.chat.completions.create(model="gpt-4o", messages=messages, tools=gather_tools())
