"""Multi-tenant HR bot: a helper builds instructions with the tenant header ahead of the handbook."""
from openai import OpenAI

client = OpenAI()

HANDBOOK = """Answer employee questions using the company handbook. Leave requests: explain the
process in the HR portal and the notice periods (annual leave two weeks, parental leave eight
weeks). Expenses: meals are reimbursed up to the daily allowance, travel must be booked through
the travel desk, and receipts are required for anything above 25 in local currency. Equipment:
laptops are refreshed every three years; report lost devices to IT security within one hour.
Never give legal or tax advice and never discuss another employee's situation. When unsure,
point the employee to their HR business partner rather than guessing an answer."""


def make_instructions(tenant) -> str:
    return f"You work for {tenant.display_name} ({tenant.country}, {tenant.headcount} employees).\n\n{HANDBOOK}"  # expect: CL301


def ask(tenant, question: str, previous_response_id: str | None = None):
    return client.responses.create(
        model="gpt-5",
        instructions=make_instructions(tenant),
        input=question,
        previous_response_id=previous_response_id,
    )
