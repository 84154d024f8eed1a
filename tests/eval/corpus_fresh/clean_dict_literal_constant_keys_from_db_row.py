"""Values come from a DB row, but the serialized dict is a literal with constant keys."""
import json

import psycopg
from anthropic import Anthropic

client = Anthropic()


def plan_summary(conn: psycopg.Connection, org_id: int) -> str:
    row = conn.execute("SELECT plan, seats, region, sso FROM orgs WHERE id = %s", (org_id,)).fetchone()
    plan, seats, region, sso = row
    return json.dumps({"plan": plan, "seats": seats, "region": region, "sso": sso})


def answer(conn: psycopg.Connection, org_id: int, history: list[dict], question: str):
    system = "You answer licensing questions. The organisation's plan is:\n" + plan_summary(conn, org_id)
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=700,
        system=system,
        messages=[*history, {"role": "user", "content": question}],
    )
