"""Playbooks loaded from a folder, sorted by file name before they are joined."""
import os

import anthropic

client = anthropic.Anthropic()


def load_playbooks(root: str = "playbooks") -> str:
    with os.scandir(root) as it:
        entries = sorted((e for e in it if e.name.endswith(".md")), key=lambda e: e.name)
    sections = []
    for entry in entries:
        with open(entry.path, encoding="utf-8") as fh:
            sections.append(f"## {entry.name[:-3]}\n{fh.read()}")
    return "\n\n".join(sections)


PLAYBOOKS = load_playbooks()


def respond(incident: str):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        system="You are the incident commander's assistant. Follow the playbooks below.\n\n" + PLAYBOOKS,
        messages=[{"role": "user", "content": incident}],
    )
