"""The request is built as a dict and sent with **params."""
from datetime import datetime

from anthropic import Anthropic

client = Anthropic()

STATIC_RULES = (
    "You are a SQL assistant for a PostgreSQL 16 warehouse.\n"
    "Only write SELECT statements. Always qualify columns with table aliases.\n"
    "Explain the query plan risks in one paragraph.\n"
)


def build_request(question: str, schema_ddl: str) -> dict:
    params = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1200,
        "system": STATIC_RULES + schema_ddl,
        "messages": [{"role": "user", "content": question}],
    }
    params["system"] += f"\nData freshness: {datetime.now():%H:%M:%S}"  # expect: CL101
    return params


def run(question: str, schema_ddl: str) -> str:
    params = build_request(question, schema_ddl)
    response = client.messages.create(**params)
    return response.content[0].text
