"""@assert_stable_prefix, expect_stable_prefix and the pytest fixture."""

from __future__ import annotations

import asyncio
import copy

import anthropic
import httpx2
import pytest

import cachelint
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.conftest import anthropic_body, grow
from tests.runtime.fakes import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_decorator_on_a_request_builder():
    state = {"turns": 1, "stamp": "10:41"}

    @cachelint.assert_stable_prefix
    def build():
        body = anthropic_body(state["turns"], system=f"Agent. Time {state['stamp']}. " + "x" * 400)
        return body

    build()
    state["turns"] = 3
    build()  # append-only: fine
    state["stamp"] = "10:46"
    with pytest.raises(cachelint.PrefixDriftError) as err:
        build()
    assert (err.value.segment, err.value.index, err.value.reason) == ("system[0]", 5, "system[0]")
    assert "Time 10:46" in err.value.report.diff  # text is kept for the test's diff


def test_decorator_on_an_async_builder():
    tools = [{"name": "a"}, {"name": "b"}]

    @cachelint.assert_stable_prefix
    async def build():
        return {"model": "claude-sonnet-4-5", "tools": list(tools), "messages": [{"role": "user", "content": "hi"}]}

    asyncio.run(build())
    tools.reverse()
    with pytest.raises(cachelint.PrefixDriftError, match="tools reordered"):
        asyncio.run(build())


def watched_client(recorder):
    raw = anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(recorder)))
    return cachelint.watch(raw, tracker=PrefixTracker(), on_drift="ignore")


def test_decorator_on_a_function_calling_a_watched_client():
    recorder = Recorder()
    client = watched_client(recorder)
    body = anthropic_body(1)

    @cachelint.assert_stable_prefix
    def agent_turn(b):
        return client.messages.create(**b).content[0].text

    assert agent_turn(body) == "Hello"
    changed = grow(body)
    changed["tool_choice"] = {"type": "any"}
    with pytest.raises(cachelint.PrefixDriftError) as err:
        agent_turn(changed)
    assert err.value.reason == "param tool_choice added" and len(recorder.bodies) == 1


def test_expect_stable_prefix_block():
    recorder = Recorder()
    client = watched_client(recorder)
    body = anthropic_body(1)
    changed = copy.deepcopy(body)
    changed["messages"][0]["content"][0]["text"] = "edited"
    with cachelint.conversation("ticket-7"):
        client.messages.create(**body)
        client.messages.create(**changed)  # outside the block: recorded only (on_drift="ignore")
        with cachelint.expect_stable_prefix(client) as c:
            c.messages.create(**grow(changed))
            with pytest.raises(cachelint.PrefixDriftError, match="messages.0. rewritten"):
                c.messages.create(**grow(grow(body)))
    assert len(recorder.bodies) == 3


def test_a_request_stopped_for_drift_is_not_the_next_ones_baseline():
    # The stopped request never reached the provider: the corrected one that follows continues the
    # last request sent, in its turn, and passes.
    recorder = Recorder()
    client = watched_client(recorder)
    body = anthropic_body(1)
    drifted = grow(body)
    drifted["system"] = [{"type": "text", "text": "changed " + "y" * 400}]
    with cachelint.conversation("c-1"), cachelint.expect_stable_prefix(client) as c:
        c.messages.create(**body)
        with pytest.raises(cachelint.PrefixDriftError):
            c.messages.create(**drifted)
        c.messages.create(**grow(body))
        with pytest.raises(cachelint.PrefixDriftError) as err:
            c.messages.create(**drifted)
    assert len(recorder.bodies) == 2
    assert err.value.report.turn == 3


def test_a_builder_result_that_drifted_is_not_the_next_ones_baseline():
    state = {"system": "Agent. " + "x" * 400, "turns": 1}

    @cachelint.assert_stable_prefix
    def build():
        return anthropic_body(state["turns"], system=state["system"])

    build()
    state["system"] = "Agent! " + "x" * 400
    with pytest.raises(cachelint.PrefixDriftError):
        build()
    state["system"], state["turns"] = "Agent. " + "x" * 400, 3
    build()  # compared with the first result, the last one returned


def test_expect_stable_prefix_watches_an_unwatched_client():
    raw = anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(Recorder())))
    body = anthropic_body(1, system="A unique system prompt for this test. " * 40)
    with cachelint.expect_stable_prefix(raw) as client:
        assert client is not raw
        client.messages.create(**body)
        changed = grow(body)
        changed["tools"].pop()
        with pytest.raises(cachelint.PrefixDriftError, match="removed"):
            client.messages.create(**changed)


PLUGIN_TEST = '''
import anthropic, httpx2, json

def handler(request):
    body = json.loads(request.content)
    return httpx2.Response(200, json={"id": "m", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "ok"}],
        "model": body["model"], "stop_reason": "end_turn", "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1}})

def client(stable_prefix):
    raw = anthropic.Anthropic(api_key="k", http_client=anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(handler)))
    return stable_prefix.watch(raw)

def test_stable(stable_prefix):
    c = client(stable_prefix)
    msgs = [{"role": "user", "content": "hi"}]
    c.messages.create(model="claude-sonnet-4-5", max_tokens=5, system="fixed", messages=msgs)
    c.messages.create(model="claude-sonnet-4-5", max_tokens=5, system="fixed", messages=msgs + [{"role": "assistant", "content": "ok"}, {"role": "user", "content": "more"}])

def test_drifts(stable_prefix):
    c = client(stable_prefix)
    msgs = [{"role": "user", "content": "hi"}]
    c.messages.create(model="claude-sonnet-4-5", max_tokens=5, system="time 10:41", messages=msgs)
    c.messages.create(model="claude-sonnet-4-5", max_tokens=5, system="time 10:46", messages=msgs + [{"role": "assistant", "content": "ok"}])

def test_builder(stable_prefix):
    stable_prefix.check({"model": "m", "tools": [{"name": "a"}, {"name": "b"}], "messages": []})
    stable_prefix.check({"model": "m", "tools": [{"name": "b"}, {"name": "a"}], "messages": []})

def test_allowed(stable_prefix):
    stable_prefix.allow_drift()
    stable_prefix.check({"model": "m", "system": "a", "messages": []})
    stable_prefix.check({"model": "m", "system": "b", "messages": []})
    assert len(stable_prefix.drifts) == 1
'''


def test_pytest_fixture_fails_a_test_on_drift(tmp_path):
    import subprocess
    import sys

    (tmp_path / "test_agent.py").write_text(PLUGIN_TEST)
    from importlib.metadata import entry_points

    # Installed, the pytest11 entry point loads the plugin; from a bare checkout, -p does.
    installed = any(ep.value == "cachelint.runtime.pytest_plugin" for ep in entry_points(group="pytest11"))
    load = [] if installed else ["-p", "cachelint.runtime.pytest_plugin"]
    cmd = [sys.executable, "-m", "pytest", "-q", *load, "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning", str(tmp_path)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path).stdout
    assert "4 passed, 2 errors" in out  # the two drifting tests error at teardown
    assert "ERROR at teardown of test_drifts" in out and "ERROR at teardown of test_builder" in out
    assert "the cached prefix drifted" in out and "first change: system[0]" in out and "tools reordered" in out


def test_plugin_module_imports_no_sdk():
    import subprocess
    import sys

    code = "import sys, cachelint.runtime.pytest_plugin; print(sorted(m for m in ('anthropic', 'openai', 'boto3', 'botocore', 'httpx2', 'cachelint.runtime.tracker') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
