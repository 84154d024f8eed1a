"""A uuid keys the local job table; only the model's text goes back to the caller."""
import uuid
from concurrent.futures import ThreadPoolExecutor

import anthropic

client = anthropic.Anthropic()
pool = ThreadPoolExecutor(max_workers=4)
jobs: dict[str, object] = {}

SYSTEM = "You write alt text for product images from their descriptions. One sentence."


def _run(description: str) -> str:
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=120,
        system=SYSTEM,
        messages=[{"role": "user", "content": description}],
    )
    return response.content[0].text


def submit(description: str) -> str:
    job_id = uuid.uuid4().hex
    jobs[job_id] = pool.submit(_run, description)
    return job_id


def result(job_id: str) -> str:
    return jobs.pop(job_id).result()
