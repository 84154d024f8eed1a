"""Account-manager assistant: the CRM row is pasted into the instructions with repr()."""
import psycopg
from psycopg.rows import dict_row
from openai import OpenAI

client = OpenAI()
POLICY = """You are an account manager for Northwind Telecom. Be factual and concise.
Only offer discounts listed in the retention catalogue. Never disclose internal notes."""


def customer_record(conn: psycopg.Connection, customer_id: int) -> dict:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT * FROM customers WHERE id = %s", (customer_id,))
        return cur.fetchone()


def respond(conn: psycopg.Connection, customer_id: int, previous_id: str | None, text: str):
    customer = customer_record(conn, customer_id)
    instructions = POLICY + "\n\nCustomer record: " + repr(customer)  # expect: CL204
    return client.responses.create(
        model="gpt-5",
        instructions=instructions,
        input=text,
        previous_response_id=previous_id,
    )
