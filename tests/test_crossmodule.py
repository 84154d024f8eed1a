"""Values followed across modules: rendered in one, sent from another, reported where produced."""

from __future__ import annotations

import textwrap
from pathlib import Path

import json
import os

from click.testing import CliRunner

from cachelint.cli import main


def project(tmp_path: Path, files: dict[str, str], *extra: str) -> dict[str, list[tuple[str, int, str, list[str]]]]:
    """Run `cachelint check` on a small project; findings per file as (code, row, segment, related)."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", "--output-format", "json", *extra, "."])
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    out: dict[str, list[tuple[str, int, str, list[str]]]] = {name: [] for name in files}
    for d in json.loads(result.stdout):
        out[d["filename"]].append((d["code"], d["location"]["row"], d["segment"] or "", [f"{r['filename']}:{r['location']['row']}" for r in d["related"]]))
    return out


PACKAGE_INIT = {"app/__init__.py": ""}


def test_function_in_one_module_sink_in_another(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/prompts.py": """
            from datetime import datetime

            def build_system() -> str:
                return "You are helpful. Now: " + datetime.now().isoformat()
        """,
        "app/client.py": """
            import anthropic
            from .prompts import build_system

            client = anthropic.Anthropic()

            def ask(q):
                return client.messages.create(model="m", max_tokens=1, system=build_system(), messages=[{"role": "user", "content": q}])
        """,
    })
    assert out["app/prompts.py"] == [("CL101", 5, "system", ["app/client.py:8"])]
    assert out["app/client.py"] == []


def test_module_constant_imported_by_absolute_name(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/config.py": """
            import uuid
            INSTANCE = str(uuid.uuid4())
        """,
        "app/agent.py": """
            from openai import OpenAI
            from app import config

            client = OpenAI()

            def ask(q):
                return client.responses.create(model="m", instructions=f"Instance {config.INSTANCE}", input=q)
        """,
    })
    [(code, row, segment, related)] = out["app/config.py"]
    assert (code, row, segment) == ("CL102", 3, "system")
    assert related == ["app/agent.py:8"]


def test_caller_without_a_sink_of_its_own(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/llm.py": """
            import anthropic
            client = anthropic.Anthropic()

            def send(system_text, q):
                return client.messages.create(model="m", max_tokens=1, system=system_text, messages=[{"role": "user", "content": q}])
        """,
        "app/handlers.py": """
            import time
            from app.llm import send

            def handle(q):
                return send(f"Request received at {time.time()}", q)
        """,
    })
    assert out["app/handlers.py"] == [("CL101", 6, "system", ["app/llm.py:6"])]


def test_flat_scripts_import_siblings(tmp_path: Path) -> None:
    out = project(tmp_path, {
        "tools.py": """
            SKILLS = {"search", "fetch", "summarise"}
            def tool_list():
                return [{"name": s, "description": s, "input_schema": {}} for s in set(SKILLS)]
        """,
        "main.py": """
            import anthropic
            from tools import tool_list
            client = anthropic.Anthropic()
            client.messages.create(model="m", max_tokens=1, tools=tool_list(), messages=[])
        """,
    })
    assert [(c, r) for c, r, _, _ in out["tools.py"]] == [("CL201", 2), ("CL201", 4)]


def test_script_imports_a_folder_beside_it(tmp_path: Path) -> None:
    """`main.py` beside `helpers/prompts.py` (a package, or a folder without `__init__.py`, which
    Python imports as a namespace package): `from helpers.prompts import X` is that file; so is
    `src/prompts.py` for `src/agent.py` importing `src.prompts` (run from above `src/`). A module
    inside a package does not import its own subfolder by that absolute name, so that is not
    followed."""
    prompts = """
        from datetime import datetime
        STAMP = datetime.now().strftime("%H:%M")
        SYSTEM = f"You help students. The time is {STAMP}."
    """
    sender = """
        import anthropic
        from helpers.prompts import SYSTEM
        anthropic.Anthropic().messages.create(model="m", max_tokens=1, system=SYSTEM, messages=[])
    """
    out = project(tmp_path, {
        "package/main.py": sender,
        "package/helpers/__init__.py": "",
        "package/helpers/prompts.py": prompts,
        "namespace/main.py": sender,
        "namespace/helpers/prompts.py": prompts,
        "init/main.py": sender.replace("from helpers.prompts import", "from helpers import"),
        "init/helpers/__init__.py": prompts,
        "run_as_module/src/agent.py": sender.replace("from helpers.prompts import", "from src.prompts import"),
        "run_as_module/src/prompts.py": prompts,
        "inner/app/__init__.py": "",
        "inner/app/main.py": sender,
        "inner/app/helpers/prompts.py": prompts,
    })
    assert out["package/helpers/prompts.py"] == [("CL101", 3, "system", ["package/main.py:4"])]
    assert out["namespace/helpers/prompts.py"] == [("CL101", 3, "system", ["namespace/main.py:4"])]
    assert out["init/helpers/__init__.py"] == [("CL101", 3, "system", ["init/main.py:4"])]
    # `python -m src.agent` from above `src/`: `src.prompts` is the file beside the importer.
    assert out["run_as_module/src/prompts.py"] == [("CL101", 3, "system", ["run_as_module/src/agent.py:4"])]
    assert out["inner/app/helpers/prompts.py"] == []


def test_suppression_in_the_producing_file(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/prompts.py": """
            import time
            STAMP = str(time.time())  # noqa: CL101
            UNUSED = 1  # noqa: CL102
        """,
        "app/client.py": """
            import anthropic
            from app.prompts import STAMP
            anthropic.Anthropic().messages.create(model="m", max_tokens=1, system=STAMP, messages=[])
        """,
    })
    assert out["app/prompts.py"] == [("CL002", 4, "", [])]


def test_clean_helper_module_is_not_reported(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/prompts.py": """
            import logging, time
            log = logging.getLogger(__name__)
            SYSTEM = "You are helpful."
            def user_turn(q):
                log.info("at %s", time.time())
                return {"role": "user", "content": f"[{time.time()}] {q}"}
        """,
        "app/client.py": """
            import anthropic
            from app.prompts import SYSTEM, user_turn
            client = anthropic.Anthropic()
            def ask(q):
                return client.messages.create(model="m", max_tokens=1, system=SYSTEM, messages=[user_turn(q)])
        """,
    })
    assert out == {"app/__init__.py": [], "app/prompts.py": [], "app/client.py": []}


def test_cache_is_invalidated_when_an_imported_module_changes(tmp_path: Path) -> None:
    files = {
        **PACKAGE_INIT,
        "app/prompts.py": "SYSTEM = 'You are helpful.'\n",
        "app/client.py": """
            import anthropic
            from app.prompts import SYSTEM
            anthropic.Anthropic().messages.create(model="m", max_tokens=1, system=SYSTEM, messages=[])
        """,
    }
    assert project(tmp_path, files)["app/prompts.py"] == []
    # Only the imported module changes; the importer's own cache entry must not be reused.
    files["app/prompts.py"] = "import time\nSYSTEM = f'You are helpful. {time.time()}'\n"
    assert [c for c, *_ in project(tmp_path, files)["app/prompts.py"]] == ["CL101"]
    assert [c for c, *_ in project(tmp_path, files, "--no-cache")["app/prompts.py"]] == ["CL101"]


def test_two_projects_with_the_same_package_name(tmp_path: Path) -> None:
    # A monorepo of services that each have an `app` package: `app.config` is two modules, and
    # each service's import means its own (also for sibling example scripts named alike).
    agent = """
        import anthropic
        from app.config import PROMPT

        client = anthropic.Anthropic()

        def ask(q):
            return client.messages.create(model="m", max_tokens=1, system=PROMPT, messages=[{"role": "user", "content": q}])
    """
    out = project(tmp_path, {
        "billing/app/__init__.py": "",
        "billing/app/config.py": 'PROMPT = "You answer billing questions."\n',
        "billing/app/agent.py": agent,
        "search/app/__init__.py": "",
        "search/app/config.py": 'import uuid\nPROMPT = f"Run {uuid.uuid4()}: you search."\n',
        "search/app/agent.py": agent,
        "examples/a/prompts.py": 'SYSTEM = "Stable."\n',
        "examples/a/main.py": "import anthropic\nfrom prompts import SYSTEM\nanthropic.Anthropic().messages.create(model='m', max_tokens=1, system=SYSTEM, messages=[])\n",
        "examples/b/prompts.py": 'import time\nSYSTEM = f"Started {time.time()}"\n',
        "examples/b/main.py": "import anthropic\nfrom prompts import SYSTEM\nanthropic.Anthropic().messages.create(model='m', max_tokens=1, system=SYSTEM, messages=[])\n",
    })
    assert [(code, row) for code, row, _, _ in out["search/app/config.py"]] == [("CL102", 2)]
    assert [(code, row) for code, row, _, _ in out["examples/b/prompts.py"]] == [("CL101", 2)]
    assert out["billing/app/config.py"] == out["examples/a/prompts.py"] == []


def test_instructions_function_imported_from_another_module(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/prompts.py": """
            from datetime import datetime

            def triage_instructions(ctx, agent):
                return f"You route tickets. Now: {datetime.now():%H:%M}."
        """,
        "app/agents_def.py": """
            from agents import Agent
            from .prompts import triage_instructions

            triage = Agent(name="Triage", instructions=triage_instructions)
        """,
    })
    assert [(code, row) for code, row, _, _ in out["app/prompts.py"]] == [("CL101", 5)]


SETTINGS_MODULE = """
    import uuid
    from datetime import datetime

    class Settings:
        def __init__(self):
            self.started = datetime.now().isoformat()
            self.model = "claude-sonnet-4-5"

        @property
        def session_tag(self):
            return uuid.uuid4().hex

        def banner(self):
            return f"Session started {datetime.now():%H:%M:%S}"

    settings = Settings()
"""


def test_imported_object_attribute_property_and_method(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/config.py": SETTINGS_MODULE,
        "app/agent.py": """
            import anthropic
            from app.config import Settings, settings

            client = anthropic.Anthropic()

            def attribute(q):
                return client.messages.create(model=settings.model, max_tokens=1, system=f"Helpful. {settings.started}", messages=[{"role": "user", "content": q}])

            def prop(q):
                return client.messages.create(model="m", max_tokens=1, system=f"Helpful. {settings.session_tag}", messages=[{"role": "user", "content": q}])

            def method(q):
                s = Settings()
                return client.messages.create(model=s.model, max_tokens=1, system=s.banner(), messages=[{"role": "user", "content": q}])
        """,
    })
    assert sorted(out["app/config.py"]) == [
        ("CL101", 7, "system", ["app/agent.py:8"]),
        ("CL101", 15, "system", ["app/agent.py:15"]),
        ("CL102", 12, "system", ["app/agent.py:11"]),
    ]
    assert out["app/agent.py"] == []


def test_imported_class_attributes_that_hold_nothing_volatile(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/config.py": SETTINGS_MODULE,
        "app/agent.py": """
            import anthropic
            from app import config

            client = anthropic.Anthropic()

            def ask(q):
                s = config.Settings()
                return client.messages.create(model=s.model, max_tokens=1, system=f"Use {s.model} {config.settings.model}.", messages=[{"role": "user", "content": q}])
        """,
    })
    assert out == {"app/__init__.py": [], "app/config.py": [], "app/agent.py": []}


def test_state_an_imported_class_changes_is_changing_state(tmp_path: Path) -> None:
    # A module without any volatile source is still summarised: its class's methods change state.
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/memory.py": """
            class Agent:
                def __init__(self):
                    self.todo = []
                    self.persona = "You plan."

                def add(self, item):
                    self.todo.append(item)

                def system_prompt(self):
                    return f"{self.persona} Open tasks: {self.todo}"
        """,
        "app/main.py": """
            import anthropic
            from app.memory import Agent

            client = anthropic.Anthropic()
            agent = Agent()

            def turn(q):
                agent.add(q)
                return client.messages.create(model="m", max_tokens=1, system=agent.system_prompt(), messages=[{"role": "user", "content": q}])

            def typed(a: Agent, q):
                return client.messages.create(model="m", max_tokens=1, system=f"Tasks: {a.todo}", messages=[{"role": "user", "content": q}])

            def stable(a: Agent, q):
                return client.messages.create(model="m", max_tokens=1, system=a.persona, messages=[{"role": "user", "content": q}])
        """,
    })
    assert out["app/memory.py"] == []
    assert sorted((code, row) for code, row, _, _ in out["app/main.py"]) == [("CL302", 10), ("CL302", 13)]


def test_method_of_an_imported_wrapper_class_reaches_its_sink(tmp_path: Path) -> None:
    out = project(tmp_path, {
        **PACKAGE_INIT,
        "app/llm.py": """
            import anthropic

            class LLM:
                def __init__(self):
                    self.client = anthropic.Anthropic()

                def ask(self, system, question):
                    return self.client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": question}])
        """,
        "app/cli.py": """
            from datetime import datetime
            from app.llm import LLM

            llm = LLM()

            def main(q):
                return llm.ask(f"It is {datetime.now()}.", q)

            def fine(q):
                return LLM().ask(system="Be brief.", question=f"{datetime.now()} {q}")
        """,
    })
    assert [(code, row) for code, row, _, _ in out["app/cli.py"]] == [("CL101", 8)]
