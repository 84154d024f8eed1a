"""Tools are filtered with a set for membership, but their order comes from the list."""
from langchain_anthropic import ChatAnthropic
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.tools import tool


@tool
def lookup_invoice(invoice_id: str) -> str:
    """Look up an invoice by id."""
    return "paid"


@tool
def issue_credit(invoice_id: str, amount: float) -> str:
    """Issue a credit note against an invoice."""
    return "ok"


@tool
def close_account(account_id: str) -> str:
    """Close a customer account."""
    return "closed"


ALL_TOOLS = [lookup_invoice, issue_credit, close_account]


def agent_for(role: str):
    allowed = {"lookup_invoice", "issue_credit"} if role == "agent" else {"lookup_invoice"}
    selected = [t for t in ALL_TOOLS if t.name in allowed]
    llm = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=800).bind_tools(selected)
    system = SystemMessage(content="You are a billing assistant. Tools: " + ", ".join(t.name for t in selected))
    return lambda text: llm.invoke([system, HumanMessage(content=text)])
