"""LangChain ChatPromptTemplate whose system tuple carries a per-call session uuid."""
from uuid import uuid4

from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o-mini")

SYSTEM_TEXT = (
    "You are a product-catalogue assistant for an outdoor gear shop. "
    "Recommend items only from the catalogue. Mention weight and price. "
)


def chain_for_request():
    session = str(uuid4())  # expect: CL102
    prompt = ChatPromptTemplate.from_messages(
        [
            ("system", SYSTEM_TEXT + "Session " + session),
            ("placeholder", "{history}"),
            ("human", "{question}"),
        ]
    )
    return prompt | llm


def ask(question: str, history: list) -> str:
    return chain_for_request().invoke({"question": question, "history": history}).content
