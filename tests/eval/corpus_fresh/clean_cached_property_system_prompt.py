"""The system prompt is a cached_property: computed on first use, then fixed for the session."""
from functools import cached_property

from openai import OpenAI

client = OpenAI()


class TutorSession:
    def __init__(self, subject: str, level: str) -> None:
        self.subject = subject
        self.level = level
        self.turns = 0
        self.previous_id: str | None = None

    @cached_property
    def instructions(self) -> str:
        return (f"You are a patient {self.subject} tutor for a {self.level} student. "
                "Ask one guiding question at a time and never give the full solution at once.")

    def ask(self, text: str) -> str:
        self.turns += 1
        response = client.responses.create(
            model="gpt-5-mini",
            instructions=self.instructions,
            input=f"(turn {self.turns}) {text}",
            previous_response_id=self.previous_id,
        )
        self.previous_id = response.id
        return response.output_text
