"""glob results are .sort()ed in place before they shape the prompt."""
import glob

from openai import OpenAI

client = OpenAI()


def skill_index() -> str:
    paths = glob.glob("skills/*/SKILL.md")
    paths.sort()
    entries = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            entries.append(f"- {path}: {fh.readline().strip()}")
    return "\n".join(entries)


def agent_turn(history: list[dict]):
    system = {"role": "system", "content": "You can load these skills when useful:\n" + skill_index()}
    return client.chat.completions.create(model="gpt-4.1", messages=[system, *history])
