"""LangChain: a uuid run_id and tags go into the runnable config, not into messages."""
import uuid

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o-mini")

SYSTEM = SystemMessage(
    content="You extract company names and amounts from invoices. Answer as 'company; amount'."
)


def extract(invoice_text: str) -> str:
    run_id = uuid.uuid4()
    result = llm.invoke(
        [SYSTEM, HumanMessage(content=invoice_text)],
        config={"run_id": run_id, "tags": ["invoice-extract"], "metadata": {"source": "email"}},
    )
    return result.content
