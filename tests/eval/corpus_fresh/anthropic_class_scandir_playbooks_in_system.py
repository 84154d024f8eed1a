"""Incident agent that concatenates every playbook in a folder, in scandir order."""
import os

import anthropic


class PlaybookAgent:
    def __init__(self, root: str = "playbooks") -> None:
        self.root = root
        self.client = anthropic.Anthropic()

    def load_playbooks(self) -> str:
        sections = []
        with os.scandir(self.root) as entries:  # expect: CL202
            for entry in entries:
                if entry.is_file() and entry.name.endswith(".md"):
                    with open(entry.path, encoding="utf-8") as fh:
                        sections.append(f"## {entry.name[:-3]}\n{fh.read()}")
        return "\n\n".join(sections)

    def respond(self, incident: str):
        system = "You are the incident commander's assistant. Follow the playbooks below.\n\n" + self.load_playbooks()
        return self.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1500,
            system=system,
            messages=[{"role": "user", "content": incident}],
        )
