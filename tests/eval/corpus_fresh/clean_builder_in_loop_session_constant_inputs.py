"""A builder is called inside the loop, but it only reads fields fixed in __init__."""
import anthropic

client = anthropic.Anthropic()
BASE = "You are an interview practice partner. Ask one question at a time and give brief feedback."


class InterviewCoach:
    def __init__(self, role: str, seniority: str, language: str) -> None:
        self.role = role
        self.seniority = seniority
        self.language = language
        self.history: list[dict] = []
        self.answers_given = 0

    def system_prompt(self) -> str:
        return f"{BASE}\nRole: {self.role} ({self.seniority}). Conduct the interview in {self.language}."

    def practice(self, answers: list[str]) -> list[str]:
        feedback = []
        for answer in answers:
            self.answers_given += 1
            self.history.append({"role": "user", "content": answer})
            system = self.system_prompt()
            reply = client.messages.create(
                model="claude-sonnet-4-5", max_tokens=600, system=system, messages=self.history)
            self.history.append({"role": "assistant", "content": reply.content})
            feedback.append(reply.content[0].text)
        return feedback
