"""Hostname and pid are logged for debugging; the prompt is constant."""
import logging
import os
import socket

import anthropic

logging.basicConfig(format="%(asctime)s %(message)s")
log = logging.getLogger("worker")
client = anthropic.Anthropic()

HOST = socket.gethostname()
SYSTEM = "You label support emails with one of: billing, technical, account, other."


def label(email_body: str) -> str:
    log.info("labeling on host=%s pid=%d", HOST, os.getpid())
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=10,
        system=SYSTEM,
        messages=[{"role": "user", "content": email_body}],
    )
    return response.content[0].text.strip()
