"""Ops assistant that names the host it runs on in the system prompt."""
import socket

from anthropic import Anthropic

client = Anthropic()

OPS_PROMPT = (
    "You are an SRE assistant. Diagnose alerts using the metrics tool. "
    "Suggest the least disruptive remediation first."
)


class OpsAssistant:
    def __init__(self) -> None:
        self.host = socket.gethostname()  # expect: CL103

    def diagnose(self, alert: str) -> str:
        reply = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=1500,
            system=f"{OPS_PROMPT}\nYou are running on host {self.host}.",
            messages=[{"role": "user", "content": alert}],
        )
        return reply.content[0].text
