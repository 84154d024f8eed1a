"""Async triage worker: the ticket header is glued in front of the triage rulebook."""
from dataclasses import dataclass

from anthropic import AsyncAnthropic

client = AsyncAnthropic()

TRIAGE_RULES = """Classify the ticket by product area (billing, auth, storage, networking, other) and
severity (S1 outage, S2 degraded, S3 question, S4 feedback). S1 requires evidence that several
customers are affected or that production is fully down. Security reports are always S1 and go to
the security queue regardless of wording. Suggest at most two knowledge-base articles, by id only.
Output JSON with the keys area, severity, queue, articles and rationale; the rationale must be at
most two sentences and must not quote personal data from the ticket. If the ticket is not in
English, classify it anyway and add the detected language as the key language."""


@dataclass
class Ticket:
    id: int
    customer: str
    subject: str
    body: str


async def triage(ticket: Ticket) -> str:
    system = f"Ticket #{ticket.id} from {ticket.customer}: {ticket.subject}\n\n" + TRIAGE_RULES  # expect: CL301
    response = await client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=400,
        system=system,
        messages=[{"role": "user", "content": ticket.body}],
    )
    return response.content[0].text
