"""Worker id minted at import and put into a tool description."""
import uuid

import anthropic

WORKER_ID = uuid.uuid4().hex[:8]  # expect: CL102

TOOLS = [
    {
        "name": "enqueue_job",
        "description": "Queue a background job on worker " + WORKER_ID + ". Returns the job id.",
        "input_schema": {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "payload": {"type": "object"}},
            "required": ["kind"],
        },
    }
]

client = anthropic.Anthropic()


def dispatch(request: str):
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=400,
        tools=TOOLS,
        system="You turn operator requests into background jobs.",
        messages=[{"role": "user", "content": request}],
    )
