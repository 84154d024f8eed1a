"""Skill summaries collected with glob.glob into the OpenAI system message."""
import glob

from openai import OpenAI

client = OpenAI()


def skill_index() -> str:
    entries = []
    for path in glob.glob("skills/*/SKILL.md"):  # expect: CL202
        with open(path, encoding="utf-8") as fh:
            first_line = fh.readline().strip()
        entries.append(f"- {path}: {first_line}")
    return "\n".join(entries)


def agent_turn(history: list[dict]):
    system = {"role": "system", "content": "You can load these skills when useful:\n" + skill_index()}
    return client.chat.completions.create(model="gpt-4.1", messages=[system, *history])
