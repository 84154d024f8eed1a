"""date.today() names a daily cache file of answers; prompts do not contain it."""
import json
from datetime import date
from pathlib import Path

import anthropic

client = anthropic.Anthropic()
SYSTEM = "You answer trivia questions with one short sentence."


def cached_answer(question: str) -> str:
    cache_file = Path("cache") / f"answers-{date.today().isoformat()}.json"
    cache = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    if question in cache:
        return cache[question]
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=100,
        system=SYSTEM,
        messages=[{"role": "user", "content": question}],
    )
    cache[question] = response.content[0].text
    cache_file.parent.mkdir(exist_ok=True)
    cache_file.write_text(json.dumps(cache))
    return cache[question]
