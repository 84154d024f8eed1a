"""A support agent: answers questions about orders with two tools and a running history."""

from __future__ import annotations

import logging
import random
import uuid
from datetime import datetime

import anthropic

from .policy import POLICY, SIGNATURE

log = logging.getLogger(__name__)

MODEL = "claude-sonnet-4-5"


def tool_definitions(session_id: str) -> list[dict]:
    return [
        {
            "name": "lookup_order",
            "description": f"Look up an order by id. Results are scoped to session {session_id}.",
            "input_schema": {
                "type": "object",
                "properties": {"order_id": {"type": "string"}},
                "required": ["order_id"],
            },
        },
        {
            "name": "refund",
            "description": "Refund an order. Only for orders delivered in the last 30 days.",
            "input_schema": {
                "type": "object",
                "properties": {"order_id": {"type": "string"}, "reason": {"type": "string"}},
                "required": ["order_id", "reason"],
            },
        },
    ]


class SupportAgent:
    def __init__(self, client: anthropic.Anthropic) -> None:
        self.client = client
        self.history: list[dict] = []
        self.session_id = str(uuid.uuid4())
        self.rng = random.Random(1234)

    def system_prompt(self) -> str:
        now = datetime.now()
        header = f"You are the support agent of Example Shop. Current time: {now:%Y-%m-%d %H:%M:%S}."
        return "\n\n".join([header, POLICY, SIGNATURE])

    def ask(self, question: str) -> str:
        started = datetime.now()
        self.history.append({"role": "user", "content": f"[sent {started:%H:%M}] {question}"})
        response = self.client.messages.create(
            model=MODEL,
            max_tokens=1024,
            system=self.system_prompt(),
            tools=tool_definitions(self.session_id),
            messages=self.history,
            metadata={"user_id": self.session_id},
            cache_control={"type": "ephemeral"},
        )
        text = "".join(block.text for block in response.content if block.type == "text")
        self.history.append({"role": "assistant", "content": text})
        log.info("answered in %s", datetime.now() - started)
        return text


def one_shot_summary(client: anthropic.Anthropic, transcript: str) -> str:
    request_id = uuid.uuid4().hex
    messages = [
        {"role": "user", "content": f"Transcript exported at {datetime.now().isoformat()}:\n{transcript}"},
        {"role": "assistant", "content": "I have read the transcript."},
        {"role": "user", "content": "Summarise it in three bullet points."},
    ]
    response = client.messages.create(
        model=MODEL,
        max_tokens=512,
        system="You summarise support conversations.",
        messages=messages,
        extra_headers={"x-request-id": request_id},
    )
    return response.content[0].text
