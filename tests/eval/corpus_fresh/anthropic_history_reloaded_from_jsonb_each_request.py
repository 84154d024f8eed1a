"""Order-support bot: the conversation is reloaded from a Postgres JSONB column on every request."""
import json

import anthropic
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Turn

client = anthropic.Anthropic()
SYSTEM = "You are the order-support assistant. Use the lookup_order tool for any order question."


def history_for(session: Session, conversation_id: str) -> list[dict]:
    stmt = select(Turn).where(Turn.conversation_id == conversation_id).order_by(Turn.seq)
    messages: list[dict] = []
    for turn in session.scalars(stmt):
        if turn.kind == "tool_result":
            content = json.dumps(turn.data)  # expect: CL204
            messages.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": turn.tool_use_id, "content": content}]})
        else:
            messages.append({"role": turn.role, "content": turn.data["text"]})
    return messages


def reply(session: Session, conversation_id: str, text: str) -> str:
    messages = history_for(session, conversation_id)
    messages.append({"role": "user", "content": text})
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        system=SYSTEM,
        messages=messages,
        cache_control={"type": "ephemeral"},
    )
    return response.content[0].text
