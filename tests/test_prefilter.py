"""The byte prefilter may only skip files on which full analysis would report nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import cachelint.engine
from cachelint.catalogue import load_catalogue
from cachelint.engine import check_source
from cachelint.engine.prefilter import may_contain_sink
from cachelint.knowledge import load_knowledge

REPO = Path(__file__).resolve().parent.parent
FILES = sorted(p for root in ("tests", "examples") for p in (REPO / root).rglob("*.py"))
# Findings that do not depend on a sink: syntax errors, unused suppressions, unreadable files.
SINKLESS_CODES = {"CL001", "CL002", "CL003"}


def test_rejected_files_have_no_findings_when_analysed_fully(monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge, catalogue = load_knowledge(), load_catalogue()
    enabled = frozenset(catalogue.by_code())
    rejected = [path for path in FILES if not may_contain_sink(path.read_bytes(), knowledge)]
    assert rejected and len(rejected) < len(FILES), "the corpora should contain files of both kinds"
    # check_source consults the prefilter by this name; saying yes forces the full parse and dataflow.
    monkeypatch.setattr(cachelint.engine, "may_contain_sink", lambda data, knowledge: True)
    wrong = {}
    for path in rejected:
        codes = {d.code for d in check_source(path.read_bytes(), str(path), knowledge, catalogue, enabled).diagnostics}
        if codes - SINKLESS_CODES:
            wrong[str(path.relative_to(REPO))] = sorted(codes - SINKLESS_CODES)
    assert wrong == {}


def test_a_user_constructor_sharing_a_shipped_name_extends_the_prefilter() -> None:
    # `pydantic_ai.Agent` ships with the same last name: each needs its own package named.
    source = b"from acme.bots import Agent\nAgent(prompt=f'{time.time()}')\n"
    assert not may_contain_sink(source, load_knowledge())
    sink = {"id": "acme", "calls": ["acme.bots.Agent"], "arguments": [{"name": "prompt", "segment": "system"}]}
    assert may_contain_sink(source, load_knowledge(extend_sinks=[sink]))


def test_user_sinks_extend_the_prefilter() -> None:
    source = b"from acme import llm\nllm.dispatch_prompt(system=f'{time.time()}')\n"
    assert not may_contain_sink(source, load_knowledge())
    sink = {"id": "acme", "methods": ["llm.dispatch_prompt"], "arguments": [{"name": "system", "segment": "system"}]}
    assert may_contain_sink(source, load_knowledge(extend_sinks=[sink]))


@pytest.mark.parametrize(
    ("source", "may_send"),
    [
        (b'headers = {"User-Agent": "python-urllib"}\n', False),
        (b"# Tool for measuring execution time of small code snippets.\n", False),
        (b"from pydantic_ai import Agent as A\nagent = A('m', system_prompt='x')\n", True),
        (b"import langchain_core.tools as t\ntool = t.Tool(name='x', func=f, description='d')\n", True),
        (b"from crewai import Agent\nagent = Agent(role='r', goal='g', backstory='b')\n", True),
        (b"from autogen import AssistantAgent\nagent = AssistantAgent('a', system_message='s')\n", True),
        # ('system', ...) opens a LangChain message pair only where LangChain is used (platform.py's namedtuple fields).
        (b"class uname_result:\n    _fields = ('system', 'node', 'release')\n", False),
        (b"from langchain_anthropic import ChatAnthropic\nmsgs = [('system', 'Be brief.'), ('human', q)]\n", True),
        (b"from crewai.tools import BaseTool\nclass Search(BaseTool):\n    description = 'd'\n", True),
        (b"class Tool:\n    description = 'a toolbox entry'\n", False),
    ],
)
def test_a_constructor_sink_needs_its_package_named(source: bytes, may_send: bool) -> None:
    """`Agent` and `Tool` are common words: only a file that names the sink's package can call it."""
    assert may_contain_sink(source, load_knowledge()) is may_send


@pytest.mark.parametrize(
    ("source", "may_send"),
    [
        (b"r = await asyncio.to_thread(client.messages.create, model='m', messages=h)\n", True),
        (b"call = functools.partial(client.chat.completions.create)\n", True),
        (b"r = await asyncio.to_thread(bedrock.converse, modelId=m, messages=h)\n", True),
        (b"# one matching completion, don't open a list\n", False),
    ],
)
def test_an_sdk_method_handed_to_a_forwarder_is_a_sink_spelling(source: bytes, may_send: bool) -> None:
    """`asyncio.to_thread(client.messages.create, ...)` calls the method elsewhere; one-word methods
    count only after a dot, so prose is still skipped."""
    assert may_contain_sink(source, load_knowledge()) is may_send


def test_a_scan_verdict_is_used_only_for_the_bytes_it_was_made_on(tmp_path) -> None:
    """The runner passes the project scan's prefilter verdict on; a file edited since is re-scanned."""
    from cachelint.cache import digest
    from cachelint.catalogue import load_catalogue
    from cachelint.engine import ModuleContext
    from cachelint.knowledge import load_knowledge
    from cachelint.runner import Task, analyse_file

    catalogue = load_catalogue()
    source = tmp_path / "app.py"
    source.write_bytes(b"import anthropic, time\nanthropic.Anthropic().messages.create(model='m', max_tokens=1, system=str(time.time()), messages=[])\n")
    enabled = frozenset(catalogue.by_code())
    told_no_sink = ModuleContext(has_sink=False)

    def codes(content: str) -> list[str]:
        task = Task(0, str(source), "app.py", enabled, 0, told_no_sink, content)
        return [d.code for d in analyse_file(task, load_knowledge(), catalogue, keep_source=False).diagnostics]

    # The verdict is trusted for the bytes it was made on (here deliberately wrong, to see it used)...
    assert codes(digest(source.read_bytes())) == []
    # ...and ignored once the file is no longer those bytes.
    assert codes("hash of older bytes") == ["CL101"]
