"""LangChain assistant: default preferences merged with per-tenant overrides from SQLite."""
import json
import sqlite3

from langchain_anthropic import ChatAnthropic
from langchain_core.messages import HumanMessage, SystemMessage

DEFAULT_PREFS = {"tone": "friendly", "language": "en", "max_bullets": 5, "citations": True}
llm = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=1024)


def tenant_prefs(db: sqlite3.Connection, tenant: str) -> dict:
    db.row_factory = sqlite3.Row
    row = db.execute("SELECT prefs FROM tenants WHERE slug = ?", (tenant,)).fetchone()
    overrides = json.loads(row["prefs"]) if row else {}
    return {**DEFAULT_PREFS, **overrides}


def answer(db: sqlite3.Connection, tenant: str, history: list, question: str) -> str:
    prefs = tenant_prefs(db, tenant)
    system_text = (
        "You write internal knowledge-base answers.\n"
        "Apply these preferences:\n" + json.dumps(prefs, indent=2)  # expect: CL204
    )
    messages = [SystemMessage(content=system_text), *history, HumanMessage(content=question)]
    return llm.invoke(messages).content
