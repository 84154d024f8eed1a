"""CL5xx: conversation dynamics, run directly on parsed snippets and on the catalogue examples."""

from __future__ import annotations

import pytest

from tests.test_breakpoints import catalogue_cases, check_example, structural, structural_found


@pytest.mark.parametrize(("code", "example"), catalogue_cases("CL5"))
def test_catalogue_example(code: str, example) -> None:
    check_example(code, example)


def test_sliding_window_message_names_cost_and_fix() -> None:
    [diag] = structural(
        """
        import anthropic
        client = anthropic.Anthropic()

        def run():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=history[-10:])
                history.append({"role": "assistant", "content": reply.content})
        """
    )
    assert diag.code == "CL501" and diag.segment == "messages"
    assert "1.25x" in diag.message and "summarise" in diag.message
    assert diag.related[0].location.row == 9


def test_same_threshold_and_window_slides() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        MAX = 30

        def run():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                if len(history) > MAX:
                    history = history[-MAX:]
                reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=history)
                history.append({"role": "assistant", "content": reply.content})
        """
    )
    assert found == [(11, "CL501")]


def test_trim_in_helper_method_of_the_agent() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        class Agent:
            def __init__(self):
                self.messages = []

            def _trim(self):
                del self.messages[:2]

            def step(self, text):
                self.messages.append({"role": "user", "content": text})
                if len(self.messages) > 20:
                    self._trim()
                reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=self.messages)
                self.messages.append({"role": "assistant", "content": reply.content})
        """
    )
    assert found == [(10, "CL501")]


def test_single_shot_slice_is_not_a_conversation() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def summarize(history):
            return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=history[-10:])
        """
    )
    assert found == []


def test_sticky_fallback_and_per_session_model_are_fine() -> None:
    found = structural_found(
        """
        import random
        import anthropic
        client = anthropic.Anthropic()

        def chat(models):
            model = random.choice(models)
            messages = []
            while True:
                messages.append({"role": "user", "content": input()})
                try:
                    reply = client.messages.create(model=model, max_tokens=100, messages=messages)
                except anthropic.APIError:
                    model = "claude-sonnet-4-5"
                    continue
                messages.append({"role": "assistant", "content": reply.content})
        """
    )
    assert [f for f in found if f[1] == "CL505"] == []


def test_request_id_as_cache_key() -> None:
    found = structural_found(
        """
        from openai import OpenAI
        client = OpenAI()

        def handle(request):
            return client.chat.completions.create(model="gpt-4o", messages=request.messages, prompt_cache_key=request.request_id)
        """
    )
    assert found == [(6, "CL506")]
