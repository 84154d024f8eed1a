"""Sends newsroom drafts to Claude; the volatile clock only reaches the user turn."""
import anthropic

from .prompts import render_system, render_user

_client = anthropic.Anthropic()


def edit_draft(desk: str, draft: str) -> str:
    response = _client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=3000,
        system=render_system(desk),
        messages=[{"role": "user", "content": render_user(draft)}],
    )
    return response.content[0].text


def edit_many(desk: str, drafts: list[str]) -> list[str]:
    return [edit_draft(desk, d) for d in drafts]
