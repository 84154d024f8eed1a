"""LangChain companion bot: facts learned about the user are rendered into the SystemMessage."""
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

PERSONA = "You are Juniper, a friendly study coach. Keep answers short and encouraging."


class StudyCoach:
    def __init__(self) -> None:
        self.llm = ChatOpenAI(model="gpt-5-mini")
        self.facts: list[str] = []
        self.history: list = []

    def _system_text(self) -> str:
        known = "\n".join(f"- {fact}" for fact in self.facts) or "- nothing yet"
        return f"{PERSONA}\n\nWhat you know about the student:\n{known}"

    def _learn(self, text: str) -> None:
        if text.lower().startswith(("i am", "i'm", "my ")):
            self.facts.append(text.strip())

    def chat(self, text: str) -> str:
        self._learn(text)
        messages = [SystemMessage(content=self._system_text()), *self.history, HumanMessage(content=text)]  # expect: CL302
        reply = self.llm.invoke(messages)
        self.history += [HumanMessage(content=text), AIMessage(content=reply.content)]
        return reply.content
