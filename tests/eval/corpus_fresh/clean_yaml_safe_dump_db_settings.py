"""Workspace settings from the database rendered with yaml.safe_dump (keys sorted by default)."""
import sqlite3

import anthropic
import yaml

client = anthropic.Anthropic()


def workspace_settings(db: sqlite3.Connection, workspace: str) -> dict:
    db.row_factory = sqlite3.Row
    row = db.execute("SELECT * FROM workspace_settings WHERE name = ?", (workspace,)).fetchone()
    return dict(row)


def draft_reply(db: sqlite3.Connection, workspace: str, history: list[dict], email: str):
    settings_yaml = yaml.safe_dump(workspace_settings(db, workspace))
    system = "You draft email replies for the team.\nWorkspace settings:\n" + settings_yaml
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1200,
        system=system,
        messages=[*history, {"role": "user", "content": email}],
    )
