"""Per-call options (timeout, retries) with a %-formatted system prompt."""
import time

import anthropic

client = anthropic.Anthropic()

SYSTEM_FMT = """You are an on-call assistant for the payments platform.
Use the runbook tool before suggesting any production change.
Prefer read-only commands. Summarise findings as a numbered list.
Page timestamp: %s"""

RUNBOOK_TOOL = {
    "name": "search_runbook",
    "description": "Full-text search over the on-call runbooks.",
    "input_schema": {
        "type": "object",
        "properties": {"query": {"type": "string"}},
        "required": ["query"],
    },
}


def triage(alert_text: str):
    system = SYSTEM_FMT % time.ctime()  # expect: CL101
    return client.with_options(timeout=30.0, max_retries=5).messages.create(
        model="claude-haiku-4-5",
        max_tokens=800,
        tools=[RUNBOOK_TOOL],
        system=system,
        messages=[{"role": "user", "content": alert_text}],
    )
