"""Ops bot: a class attribute records when the worker started and is echoed in the instructions."""
from datetime import datetime, timezone

from openai import OpenAI


class OpsBot:
    STARTED_AT = datetime.now(timezone.utc).isoformat(timespec="seconds")  # expect: CL101
    INSTRUCTIONS = "You are the on-call assistant. Summarise alerts and propose the next action."

    def __init__(self) -> None:
        self.client = OpenAI()

    def instructions(self) -> str:
        return f"{self.INSTRUCTIONS}\nWorker online since {self.STARTED_AT}."

    def triage(self, alert_text: str, previous_id: str | None = None):
        return self.client.responses.create(
            model="gpt-5-mini",
            instructions=self.instructions(),
            input=alert_text,
            previous_response_id=previous_id,
        )
