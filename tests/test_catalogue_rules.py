"""Sinks of every SDK, shape sinks, and the CL103/CL2xx mechanisms, on small focused snippets."""

from __future__ import annotations

import textwrap

import pytest

from tests.helpers import check, expected, found

CASES = {
    "bedrock converse system block": """
        import boto3, time
        client = boto3.client("bedrock-runtime")
        def ask(q):
            return client.converse(modelId="m", system=[{"text": f"now {time.time()}"}], messages=[{"role": "user", "content": [{"text": q}]}])  # expect: CL101
    """,
    "bedrock converse tools": """
        import boto3, uuid
        client = boto3.client("bedrock-runtime")
        def ask(q):
            spec = {"toolSpec": {"name": "t", "description": f"run {uuid.uuid4()}", "inputSchema": {"json": {}}}}  # expect: CL102
            return client.converse_stream(modelId="m", toolConfig={"tools": [spec]}, messages=[])
    """,
    "bedrock invoke_model body": """
        import boto3, json, time
        client = boto3.client("bedrock-runtime")
        def ask(q):
            body = {"anthropic_version": "bedrock-2023-05-31", "system": f"t={time.time()}", "messages": [{"role": "user", "content": q}]}  # expect: CL101
            return client.invoke_model(modelId="m", body=json.dumps(body))
    """,
    "openai chat system role": """
        from openai import OpenAI
        import secrets
        client = OpenAI()
        def ask(q):
            return client.chat.completions.create(model="m", messages=[{"role": "developer", "content": "nonce " + secrets.token_hex()}, {"role": "user", "content": q}])  # expect: CL102
    """,
    "openai responses instructions": """
        from openai import OpenAI
        import socket
        client = OpenAI()
        def ask(q):
            return client.responses.create(model="m", instructions=f"host {socket.gethostname()}", input=q)  # expect: CL103
    """,
    "langchain system message": """
        from langchain_core.messages import SystemMessage, HumanMessage
        from datetime import datetime
        def build(q):
            return [SystemMessage(content=f"Now: {datetime.now()}"), HumanMessage(content=q)]  # expect: CL101
    """,
    "pydantic-ai decorated instructions": """
        from pydantic_ai import Agent
        import uuid
        agent = Agent("openai:gpt-5")

        @agent.instructions
        def session_note() -> str:
            return f"Session {uuid.uuid4()}"  # expect: CL102
    """,
    "system message shape far from the call": """
        import time
        def system_message():
            return {"role": "system", "content": f"Clock {time.time()}"}  # expect: CL101
    """,
    "set comprehension joined": """
        import anthropic
        client = anthropic.Anthropic()
        def ask(q, items):
            names = {i.name for i in items}  # expect: CL201
            return client.messages.create(model="m", max_tokens=1, system=", ".join(names), messages=[])
    """,
    "set of ints is low severity but reported": """
        import anthropic
        client = anthropic.Anthropic()
        def ask(q):
            return client.messages.create(model="m", max_tokens=1, system=str([x for x in {3, 1, 2}]), messages=[])  # expect: CL201
    """,
    "listdir through a loop": """
        import anthropic, os
        client = anthropic.Anthropic()
        def ask(q):
            text = ""
            for name in os.listdir("ctx"):  # expect: CL202
                text += open(os.path.join("ctx", name)).read()
            return client.messages.create(model="m", max_tokens=1, system=text, messages=[])
    """,
    "as_completed collection": """
        import anthropic, asyncio
        client = anthropic.AsyncAnthropic()
        async def ask(q, servers):
            tools = []
            for fut in asyncio.as_completed([s.list_tools() for s in servers]):  # expect: CL203
                tools.extend(await fut)
            return await client.messages.create(model="m", max_tokens=1, tools=tools, messages=[])
    """,
    "database row in f-string": """
        import anthropic
        client = anthropic.Anthropic()
        def ask(q, cursor):
            row = cursor.fetchone()
            return client.messages.create(model="m", max_tokens=1, system=f"Profile: {row}", messages=[])  # expect: CL204
    """,
    "value chosen by an order-carrying key": """
        import anthropic
        client = anthropic.Anthropic()
        REGISTRY = {"a": {"name": "a"}, "b": {"name": "b"}}
        def ask(q, mine, theirs):
            names = set(mine) | set(theirs)  # expect: CL201
            return client.messages.create(model="m", max_tokens=1, tools=[REGISTRY[n] for n in names], messages=[])
    """,
    "parsed files keep the listing order": """
        import anthropic, json
        from pathlib import Path
        client = anthropic.Anthropic()
        def ask(q):
            tools = [json.loads(p.read_text()) for p in Path("specs").iterdir()]  # expect: CL202
            return client.messages.create(model="m", max_tokens=1, tools=tools, messages=[])
    """,
    "install path in the system prompt": """
        import anthropic, os
        client = anthropic.Anthropic()
        HOME = os.path.dirname(__file__)  # expect: CL103
        def ask(q):
            return client.messages.create(model="m", max_tokens=1, system=f"Skills live in {HOME}.", messages=[])
    """,
    "select without order by": """
        import boto3, sqlite3
        client = boto3.client("bedrock-runtime")
        def ask(q, conn: sqlite3.Connection):
            rows = conn.execute("SELECT name, spec FROM tools WHERE enabled = 1").fetchall()  # expect: CL203
            return client.converse(modelId="m", toolConfig={"tools": [{"toolSpec": {"name": n, "inputSchema": {"json": s}}} for n, s in rows]}, messages=[])
    """,
    "tool listings of several servers": """
        import anthropic
        client = anthropic.AsyncAnthropic()
        async def ask(q, sessions):
            tools = []
            for session in sessions:
                listing = await session.list_tools()  # expect: CL203
                tools.extend(listing.tools)
            return await client.messages.create(model="m", max_tokens=1, tools=tools, messages=[])
    """,
    "completion order kept through pairs a helper returns": """
        import asyncio
        import anthropic
        client = anthropic.AsyncAnthropic()
        async def fetch(server):
            return (server.name, await server.describe())
        async def ask(q, servers):
            parts = []
            for fut in asyncio.as_completed([fetch(s) for s in servers]):  # expect: CL203
                pair = await fut
                name, text = await fut
                parts.append(name + ": " + text + pair[1])
            return await client.messages.create(model="m", max_tokens=1, system=", ".join(parts), messages=[])
    """,
    "working directory rendered into a jinja template": """
        import os
        from jinja2 import Environment, FileSystemLoader
        from openai import OpenAI
        client = OpenAI()
        env = Environment(loader=FileSystemLoader("templates"))
        SYSTEM = env.get_template("system.j2").render(cwd=os.getcwd())  # expect: CL103
        def ask(q):
            return client.chat.completions.create(model="m", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])
    """,
    "anthropic tool runner": """
        import anthropic, time
        client = anthropic.Anthropic()
        def ask(q, tools):
            runner = client.beta.messages.tool_runner(model="m", max_tokens=1, tools=tools, system=f"Now {time.time()}", messages=[{"role": "user", "content": q}])  # expect: CL101
            return runner.until_done()
    """,
    "litellm completion and router": """
        import litellm, uuid
        from litellm import Router, acompletion
        router = Router(model_list=[])
        async def ask(q):
            litellm.completion(model="anthropic/claude-sonnet-4-5", messages=[{"role": "system", "content": f"run {uuid.uuid4()}"}, {"role": "user", "content": q}])  # expect: CL102
            await acompletion(model="gpt-4o", messages=[{"role": "system", "content": f"run {uuid.uuid4()}"}, {"role": "user", "content": q}])  # expect: CL102
            return await router.acompletion(model="gpt", messages=[{"role": "system", "content": f"run {uuid.uuid4()}"}, {"role": "user", "content": q}])  # expect: CL102
    """,
    "autogen system message updated every turn": """
        from autogen import ConversableAgent
        tutor = ConversableAgent("tutor", system_message="Teach.", llm_config={"model": "gpt-4o"})
        def lesson(turns):
            history = []
            for n, text in enumerate(turns, start=1):
                tutor.update_system_message(f"Teach. This is turn {n}.")  # expect: CL302
                history.append({"role": "user", "content": text})
                history.append({"role": "assistant", "content": tutor.generate_reply(messages=history)})
    """,
    "dspy signature instructions with a clock": """
        from datetime import datetime
        import dspy
        class Triage(dspy.Signature):
            ticket: str = dspy.InputField()
        def triage(ticket):
            return dspy.Predict(Triage.with_instructions(f"Classify. Now {datetime.now()}."))(ticket=ticket)  # expect: CL101
    """,
    "openai before 1.0": """
        import openai, uuid
        def ask(q):
            return openai.ChatCompletion.create(model="gpt-4", messages=[{"role": "system", "content": f"Run {uuid.uuid4()}"}, {"role": "user", "content": q}])  # expect: CL102
    """,
    "merged dict of unknown shape written with str()": """
        from openai import OpenAI
        client = OpenAI()
        DEFAULTS = {"tone": "neutral"}
        def ask(q, prefs: dict):
            text = str({**DEFAULTS, **prefs})  # expect: CL204
            return client.chat.completions.create(model="m", messages=[{"role": "system", "content": text}, {"role": "user", "content": q}])
    """,
    "state changed through an element of an attribute": """
        from openai import OpenAI
        client = OpenAI()
        class Planner:
            def __init__(self, todos):
                self.todos = [{"text": t, "done": False} for t in todos]
            def instructions(self):
                return "Todo: " + ", ".join(t["text"] for t in self.todos if not t["done"])
            def run(self, goal):
                while self.todos:
                    r = client.responses.create(model="m", instructions=self.instructions(), input=goal)  # expect: CL302
                    self.todos[0]["done"] = True
    """,
    "per-turn memory inserted ahead of the static system message": """
        from openai import OpenAI
        client = OpenAI()
        POLICY = {"role": "system", "content": ("Follow the support policy exactly and cite the section you rely on." "Follow the support policy exactly and cite the section you rely on." "Follow the support policy exactly and cite the section you rely on." "Follow the support policy exactly and cite the section you rely on." "Follow the support policy exactly and cite the section you rely on." "Follow the support policy exactly and cite the section you rely on." "Follow the support policy exactly and cite the section you rely on.")}
        def chat(history, memories, text):
            messages = [POLICY, *history, {"role": "user", "content": text}]
            messages.insert(0, {"role": "system", "content": "You remember: " + "; ".join(memories)})  # expect: CL301
            return client.chat.completions.create(model="m", messages=messages)
    """,
    "history rebuilt from stored rows in a helper": """
        import anthropic, json
        client = anthropic.Anthropic()
        def load(conn):
            out = []
            for role, payload in conn.execute("SELECT role, payload FROM turns ORDER BY seq").fetchall():
                out.append({"role": role, "content": json.dumps(payload)})  # expect: CL204
            return out
        def ask(conn, q):
            history = load(conn)
            history.append({"role": "user", "content": q})
            return client.messages.create(model="m", max_tokens=1, messages=history)
    """,
    "history re-rendered with fresh timestamps in the same function": """
        import anthropic
        from datetime import datetime
        client = anthropic.Anthropic()
        def ask(turns, q):
            messages = []
            for t in turns:
                messages.append({"role": t.role, "content": f"[{datetime.now():%H:%M}] {t.text}"})  # expect: CL101
            messages.append({"role": "user", "content": q})
            return client.messages.create(model="m", max_tokens=1, messages=messages)
    """,
    "per-request context inserted ahead of a replayed history": """
        from openai import OpenAI
        client = OpenAI()
        def chat(history, memories, text):
            messages = [*history, {"role": "user", "content": text}]
            messages.insert(0, {"role": "system", "content": "You remember: " + "; ".join(memories)})  # expect: CL301
            return client.chat.completions.create(model="m", messages=messages)
    """,
    "retrieved context as the first user turn ahead of the history": """
        import anthropic
        client = anthropic.Anthropic()
        def chat(history, docs, text):
            messages = history + [{"role": "user", "content": text}]
            messages.insert(0, {"role": "user", "content": f"Context: {docs}"})  # expect: CL301
            return client.messages.create(model="m", max_tokens=1, messages=messages)
    """,
    "uuid in the system pair of a LangChain chat prompt": """
        from uuid import uuid4
        from langchain_core.prompts import ChatPromptTemplate
        def prompt_for_request():
            return ChatPromptTemplate.from_messages([("system", f"Session {uuid4()}. Answer briefly."), ("placeholder", "{history}"), ("human", "{question}")])  # expect: CL102
    """,
    "pydantic-ai instructions read deps that a tool changes in place": """
        from pydantic_ai import Agent, RunContext
        agent = Agent("openai:gpt-5", deps_type=dict)
        @agent.instructions
        def todo_list(ctx: RunContext[dict]) -> str:  # expect: CL302
            return "Open todos: " + ", ".join(t["text"] for t in ctx.deps.todos if not t["done"])
        @agent.tool
        def finish(ctx: RunContext[dict], index: int) -> str:
            ctx.deps.todos[index]["done"] = True
            return "done"
    """,
    "pydantic-ai instructions and a dynamic system prompt read a counter a tool steps": """
        import pydantic_ai
        agent = pydantic_ai.Agent("anthropic:claude-sonnet-4-5")
        @agent.instructions
        def budget(ctx: "pydantic_ai.RunContext[Budget]") -> str:  # expect: CL302
            return f"You have used {ctx.deps.calls} of {ctx.deps.limit} tool calls."
        @agent.system_prompt(dynamic=True)
        def used(ctx: "pydantic_ai.RunContext[Budget]") -> str:  # expect: CL302
            return f"You have used {ctx.deps.calls} tool calls."
        @agent.tool
        def search(ctx: "pydantic_ai.RunContext[Budget]", q: str) -> str:
            ctx.deps.calls += 1
            return q
    """,
    "class attribute computed at import": """
        from datetime import datetime
        from openai import OpenAI
        class Bot:
            STARTED = datetime.now().isoformat()  # expect: CL101
            def __init__(self):
                self.client = OpenAI()
            def ask(self, q):
                return self.client.responses.create(model="m", instructions=f"Up since {self.STARTED}.", input=q)
    """,
    "state object changed by the loop and read by the builder": """
        import boto3
        from dataclasses import dataclass, field
        client = boto3.client("bedrock-runtime")
        @dataclass
        class State:
            goal: str
            notes: list = field(default_factory=list)
        def system_for(state: State) -> list:
            return [{"text": "Goal: " + state.goal + "; notes: " + "; ".join(state.notes)}]
        def run(state: State, messages: list):
            while True:
                out = client.converse(modelId="m", system=system_for(state), messages=messages)  # expect: CL302
                state.notes.append(out["output"]["message"]["content"][0]["text"])
    """,
    "JSON column serialized as a tool result": """
        import anthropic, json
        client = anthropic.Anthropic()
        def history(session, select, Turn):
            return [{"role": t.role, "content": json.dumps(t.data)} for t in session.scalars(select(Turn))]  # expect: CL204
        def ask(session, select, Turn, q):
            return client.messages.create(model="m", max_tokens=1, system="s", messages=history(session, select, Turn) + [{"role": "user", "content": q}])
    """,
    "overrides parsed when present, merged into the prompt": """
        import anthropic, json
        client = anthropic.Anthropic()
        DEFAULTS = {"tone": "plain"}
        def ask(row, q):
            overrides = json.loads(row["prefs"]) if row else {}
            prefs = {**DEFAULTS, **overrides}
            return client.messages.create(model="m", max_tokens=1, system="Prefs: " + json.dumps(prefs), messages=[{"role": "user", "content": q}])  # expect: CL204
    """,
    "template placeholder ahead of long static rules": """
        from langchain_core.prompts import ChatPromptTemplate, SystemMessagePromptTemplate
        RULES = "Answer from the handbook only. Cite the section number. Escalate refunds over 500 dollars. " * 6
        prompt = ChatPromptTemplate.from_messages(
            [
                ("system", "Customer: {customer} on plan {plan}. " + RULES),  # expect: CL301
                ("human", "{question}"),
            ]
        )
        system = SystemMessagePromptTemplate.from_template("User {user}. " + RULES)  # expect: CL301
    """,
}

CLEAN = {
    "sorted set": """
        import anthropic
        client = anthropic.Anthropic()
        def ask(q, items):
            names = {i.name for i in items}
            return client.messages.create(model="m", max_tokens=1, system=", ".join(sorted(names)), messages=[])
    """,
    "sort in place": """
        import anthropic, glob
        client = anthropic.Anthropic()
        def ask(q):
            files = glob.glob("*.md")
            files.sort()
            return client.messages.create(model="m", max_tokens=1, system="\\n".join(open(f).read() for f in files), messages=[])
    """,
    "os.walk with dirnames sorted in place": """
        import anthropic, os
        client = anthropic.Anthropic()
        def ask(q):
            lines = []
            for root, dirs, files in os.walk("."):
                dirs.sort()
                for f in sorted(files):
                    lines.append(os.path.join(root, f))
            return client.messages.create(model="m", max_tokens=1, system="\\n".join(lines), messages=[])
    """,
    "set used for membership and size": """
        import anthropic
        client = anthropic.Anthropic()
        ALLOWED = {"a", "b", "c"}
        def ask(q, tool):
            if tool not in ALLOWED:
                return None
            return client.messages.create(model="m", max_tokens=1, system=f"{len(ALLOWED)} tools", messages=[])
    """,
    "dict literal iteration": """
        import anthropic
        client = anthropic.Anthropic()
        TOOLS = {"search": "Search", "fetch": "Fetch"}
        def ask(q):
            tools = [{"name": k, "description": v, "input_schema": {}} for k, v in TOOLS.items()]
            return client.messages.create(model="m", max_tokens=1, tools=tools, messages=[])
    """,
    "json dumps sorted": """
        import anthropic, json
        client = anthropic.Anthropic()
        def ask(q, resp):
            return client.messages.create(model="m", max_tokens=1, system=json.dumps(resp.json(), sort_keys=True), messages=[])
    """,
    "file read through a cwd path": """
        import anthropic, os
        client = anthropic.Anthropic()
        def ask(q):
            policy = open(os.path.join(os.getcwd(), "policy.md")).read()
            return client.messages.create(model="m", max_tokens=1, system=policy, messages=[])
    """,
    "bedrock block after the cachePoint": """
        import boto3, time
        client = boto3.client("bedrock-runtime")
        def ask(q):
            return client.converse(modelId="m", system=[{"text": "static"}, {"cachePoint": {"type": "default"}}, {"text": f"{time.time()}"}], messages=[])
    """,
    "openai volatile only in the newest input": """
        from openai import OpenAI
        import time
        client = OpenAI()
        def ask(q):
            return client.responses.create(model="m", instructions="Be brief.", input=f"[{time.time()}] {q}")
    """,
    "prompt file read next to the module, names of listed files": """
        import anthropic
        from pathlib import Path
        client = anthropic.Anthropic()
        HERE = Path(__file__).parent
        SYSTEM = (HERE / "system.md").read_text()
        SKILLS = ", ".join(sorted(p.stem for p in (HERE / "skills").glob("*.md")))
        def ask(q):
            return client.messages.create(model="m", max_tokens=1, system=SYSTEM + SKILLS, messages=[])
    """,
    "servers walked in sorted or literal order, and one server's pages": """
        import anthropic
        client = anthropic.AsyncAnthropic()
        SERVERS = ["git", "filesystem"]
        async def ask(q, sessions, session):
            tools = []
            for name in sorted(sessions):
                tools.extend((await sessions[name].list_tools()).tools)
            for name in SERVERS:
                tools.extend((await sessions[name].list_tools()).tools)
            for name in ("docs", "search"):
                tools.extend((await sessions[name].list_tools()).tools)
            cursor = None
            while True:
                page = await session.list_tools(cursor=cursor)
                tools.extend(page.tools)
                if not (cursor := page.nextCursor):
                    break
            return await client.messages.create(model="m", max_tokens=1, tools=tools, messages=[])
    """,
    "jinja templates loaded from the module's folder": """
        from pathlib import Path
        from jinja2 import Environment, FileSystemLoader
        from openai import OpenAI
        client = OpenAI()
        env = Environment(loader=FileSystemLoader(str(Path(__file__).parent / "templates")))
        SYSTEM = env.get_template("system.j2").render(name="DocBot")
        def ask(q):
            return client.chat.completions.create(model="m", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])
    """,
    "pydantic-ai system prompt run once, before the tools change the counter": """
        import pydantic_ai
        agent = pydantic_ai.Agent("anthropic:claude-sonnet-4-5")
        @agent.system_prompt
        def budget(ctx: "pydantic_ai.RunContext[Budget]") -> str:
            return f"You have used {ctx.deps.calls} of {ctx.deps.limit} tool calls."
        @agent.tool
        def search(ctx: "pydantic_ai.RunContext[Budget]", q: str) -> str:
            ctx.deps.calls += 1
            return q
    """,
    "one server's listing and an ordered query": """
        import anthropic
        client = anthropic.AsyncAnthropic()
        async def ask(q, session, conn):
            listing = await session.list_tools()
            rows = conn.execute("SELECT name FROM tools ORDER BY name").fetchall()
            return await client.messages.create(model="m", max_tokens=1, tools=listing.tools + [{"name": r[0]} for r in rows], messages=[])
    """,
    "merge of literal dicts": """
        from openai import OpenAI
        client = OpenAI()
        BASE = {"tone": "neutral"}
        def ask(q):
            text = str({**BASE, **{"units": "metric"}})
            return client.chat.completions.create(model="m", messages=[{"role": "system", "content": text}, {"role": "user", "content": q}])
    """,
    "short static message after the inserted memory": """
        from openai import OpenAI
        client = OpenAI()
        RULES = {"role": "system", "content": "Be brief."}
        def ask(memories, text):
            messages = [RULES, {"role": "user", "content": text}]
            messages.insert(0, {"role": "system", "content": "You remember: " + "; ".join(memories)})
            return client.chat.completions.create(model="m", messages=messages)
    """,
    "user message dict is not a shape sink": """
        import time
        def user_message(q):
            return {"role": "user", "content": f"{time.time()} {q}"}
    """,
    "parsed JSON appended as the newest turn of a conversation loop": """
        import anthropic, json, requests
        client = anthropic.Anthropic()
        def loop():
            messages = []
            while True:
                data = requests.get("http://x").json()
                messages.append({"role": "user", "content": json.dumps(data)})
                reply = client.messages.create(model="m", max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": reply.content})
    """,
    "history copied in a loop, timestamp only on the newest turn": """
        import anthropic
        from datetime import datetime
        client = anthropic.Anthropic()
        def ask(turns, q):
            messages = []
            for t in turns:
                messages.append({"role": t.role, "content": t.text})
            messages.append({"role": "user", "content": f"{datetime.now()} {q}"})
            return client.messages.create(model="m", max_tokens=1, messages=messages)
    """,
    "system prompt passed in and inserted ahead of the history": """
        from openai import OpenAI
        client = OpenAI()
        def chat(history, system_prompt, text):
            messages = [*history, {"role": "user", "content": text}]
            messages.insert(0, {"role": "system", "content": system_prompt})
            return client.chat.completions.create(model="m", messages=messages)
    """,
    "per-request context inserted ahead of the question alone": """
        from openai import OpenAI
        client = OpenAI()
        def ask(memories, text):
            messages = [{"role": "user", "content": text}]
            messages.insert(0, {"role": "system", "content": "You remember: " + "; ".join(memories)})
            return client.chat.completions.create(model="m", messages=messages)
    """,
    "per-request context appended after the history": """
        from openai import OpenAI
        client = OpenAI()
        def chat(history, memories, text):
            messages = [*history, {"role": "user", "content": text}]
            messages.append({"role": "system", "content": "You remember: " + "; ".join(memories)})
            return client.chat.completions.create(model="m", messages=messages)
    """,
    "uuid only in the human turn of a LangChain chat prompt": """
        from uuid import uuid4
        from langchain_core.prompts import ChatPromptTemplate
        def prompt_for_request():
            return ChatPromptTemplate.from_messages([("system", "Answer briefly."), ("human", f"Request {uuid4()}: {{question}}")])
    """,
    "pydantic-ai instructions read deps that no tool changes": """
        from pydantic_ai import Agent, RunContext
        agent = Agent("openai:gpt-5", deps_type=dict)
        @agent.instructions
        def profile(ctx: RunContext[dict]) -> str:
            return f"The user is {ctx.deps.name} on the {ctx.deps.plan} plan."
        @agent.tool
        def remember(ctx: RunContext[dict], note: str) -> str:
            ctx.deps.notes.append(note)
            return "saved"
    """,
    "scalar fields of parsed JSON formatted into the prompt": """
        import requests
        from openai import OpenAI
        client = OpenAI()
        def ask(q):
            store = requests.get("https://x/store").json()
            system = f"Store: {store['name']}. Currency: {str(store.get('currency')).upper()}."
            return client.chat.completions.create(model="m", messages=[{"role": "system", "content": system}, {"role": "user", "content": q}])
    """,
    "dict literal with constant keys over a single row": """
        import anthropic, json
        client = anthropic.Anthropic()
        def ask(conn, org, q):
            plan, seats = conn.execute("SELECT plan, seats FROM orgs WHERE id = ?", (org,)).fetchone()
            return client.messages.create(model="m", max_tokens=1, system=json.dumps({"plan": plan, "seats": seats}), messages=[{"role": "user", "content": q}])
    """,
    "state object whose changed part never reaches the system prompt": """
        import boto3
        from dataclasses import dataclass, field
        client = boto3.client("bedrock-runtime")
        @dataclass
        class State:
            goal: str
            messages: list = field(default_factory=list)
        def system_for(state: State) -> list:
            return [{"text": "Goal: " + state.goal}]
        def run(state: State):
            while True:
                out = client.converse(modelId="m", system=system_for(state), messages=state.messages)
                state.messages.append(out["output"]["message"])
    """,
    "tool results stamped by a helper loop, appended once as the newest turn": """
        import anthropic
        from datetime import datetime
        client = anthropic.Anthropic()
        def run_tools(blocks):
            results = []
            for b in blocks:
                results.append({"type": "tool_result", "tool_use_id": b.id, "content": f"{datetime.now()} ok"})
            return results
        def loop(q):
            messages = [{"role": "user", "content": q}]
            while True:
                r = client.messages.create(model="m", max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": r.content})
                messages.append({"role": "user", "content": run_tools(r.content)})
    """,
    "template placeholders after the static rules": """
        from langchain_core.prompts import ChatPromptTemplate
        RULES = "Answer from the handbook only. Cite the section number. Escalate refunds over 500 dollars. " * 6
        prompt = ChatPromptTemplate.from_messages([("system", RULES + "Customer: {customer}."), ("human", "{question} at {time}")])
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_finding(name: str) -> None:
    code = textwrap.dedent(CASES[name])
    assert found(code) == expected(code)


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean(name: str) -> None:
    assert found(textwrap.dedent(CLEAN[name])) == []


def test_severities_follow_the_catalogue() -> None:
    # A breakpoint in the module: its Anthropic requests are cached, so the rules' own severities apply.
    cached = '\nBREAKPOINT = {"cache_control": {"type": "ephemeral"}}\n'
    by_name = {n: check(textwrap.dedent(CASES[n]) + cached) for n in ("openai responses instructions", "set comprehension joined", "set of ints is low severity but reported", "listdir through a loop", "database row in f-string")}
    assert [d.severity for d in by_name["openai responses instructions"]] == ["medium"]
    assert [d.severity for d in by_name["set comprehension joined"]] == ["high"]
    assert [d.severity for d in by_name["set of ints is low severity but reported"]] == ["low"]
    assert [d.severity for d in by_name["listdir through a loop"]] == ["medium"]
    assert [d.severity for d in by_name["database row in f-string"]] == ["medium"]
