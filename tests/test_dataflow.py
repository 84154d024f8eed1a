"""CL101/CL102 through every propagation form the engine promises, and silence on look-alikes.

Each snippet marks where the finding belongs with `# expect: CODE`; snippets without marks must
produce nothing.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.helpers import check, expected, found

HEADER = """\
import anthropic
import datetime as _dt
import json
import random
import textwrap
import time
import uuid
from datetime import datetime, date
from datetime import datetime as dt

client = anthropic.Anthropic()
"""

PROPAGATION = {
    "system text from a history filtered by a role held in a class attribute": """
        class Roles:
            USER = "user"

        class Chat:
            def __init__(self):
                self.history = []

            def send(self, text):
                self.history.append({"role": "user", "content": text})
                system = ", ".join(m["content"] for m in self.history if m["role"] in (Roles.USER, "system"))  # expect: CL302
                reply = client.messages.create(model="m", max_tokens=1, system=system, messages=self.history)
                self.history.append({"role": "assistant", "content": reply.content})
    """,
    "a clock read while records are rendered in a loop each turn": """
        class GroupChat:
            def __init__(self):
                self.log = []

            def add(self, author, text):
                self.log.append((author, text))

            def render(self):
                lines = []
                for author, text in self.log:
                    lines.append({"role": "user", "content": f"[{datetime.now():%H:%M}] {author}: {text}"})  # expect: CL101
                return lines

            def respond(self):
                response = client.messages.create(model="m", max_tokens=1, messages=self.render(), cache_control={"type": "ephemeral"})
                self.add("bot", response.content[0].text)
    """,
    "system text taken from the user messages of a growing history": """
        class Chat:
            def __init__(self):
                self.history = []

            def send(self, text):
                self.history.append({"role": "user", "content": text})
                system = ", ".join(m["content"] for m in self.history if m["role"] == "user")  # expect: CL302
                reply = client.messages.create(model="m", max_tokens=1, system=system, messages=self.history)
                self.history.append({"role": "assistant", "content": reply.content})
    """,
    "a batch loop's item in the system prompt of a body a helper serializes": """
        import boto3

        def make_body(guide):
            return json.dumps({
                "anthropic_version": "bedrock-2023-05-31",
                "system": [{"type": "text", "text": guide, "cache_control": {"type": "ephemeral"}}],
                "messages": [{"role": "user", "content": "Summarise."}],
            })

        def summarise(guide):
            return boto3.client("bedrock-runtime").invoke_model(modelId="m", body=make_body(guide))

        def main(paths):
            for path in paths:
                summarise(f"Guide for {path}")  # expect: CL302
    """,
    "system prompt changed by a helper that a turn also calls": """
        class Session:
            def __init__(self, team):
                self.team = team
                self.messages = []
                self._build_system()

            def _build_system(self):
                self.system = f"You help the {self.team} team. Turns: {len(self.messages)}"

            def open(self, path):
                self.files = f"Open: {path}"

            def ask(self, q):
                self._build_system()
                self.messages.append({"role": "user", "content": q})
                return client.messages.create(model="m", max_tokens=1, system=self.system + self.files, messages=self.messages)  # expect: CL302
    """,
    "clock note appended to the system prompt before the history": """
        import openai
        oai = openai.OpenAI()

        def run(history, q):
            messages = [{"role": "system", "content": "You are helpful."}]
            messages.append({"role": "system", "content": f"Current time: {datetime.now()}"})  # expect: CL101
            return oai.chat.completions.create(model="gpt-4o", messages=messages + history + [{"role": "user", "content": q}])
    """,
    "dataclass field with a default factory read by a prompt property": """
        from dataclasses import dataclass, field

        @dataclass
        class Session:
            user: str
            started: str = field(default_factory=lambda: datetime.now().isoformat())  # expect: CL101
            run: str = field(default_factory=uuid.uuid4)  # expect: CL102
            tags: list = field(default_factory=list)

            @property
            def system(self):
                return f"You help {self.user} (run {self.run}, since {self.started}). Tags: {self.tags}"

        def ask(session: Session, q):
            return client.messages.create(model="m", max_tokens=1, system=session.system, messages=[{"role": "user", "content": q}])
    """,
    "pydantic field whose factory is a module function": """
        from pydantic import BaseModel, Field

        def stamp():
            return datetime.now().strftime("%H:%M")  # expect: CL101

        class Persona(BaseModel):
            name: str
            created: str = Field(default_factory=stamp)

            def prompt(self):
                return f"You are {self.name}, created {self.created}."

        def ask(p: Persona, q):
            return client.messages.create(model="m", max_tokens=1, system=p.prompt(), messages=[{"role": "user", "content": q}])
    """,
    "time functions that read the clock themselves": """
        def ask(q):
            system = f"Today is {time.strftime('%Y-%m-%d %H:%M')} ({time.ctime()})."  # expect: CL101
            return client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": q}])
    """,
    "age of each record computed again every turn": """
        def ago(ts):
            return f"{int(time.time() - ts) // 60} min ago"  # expect: CL101

        class Chat:
            def __init__(self):
                self.log = []

            def reply(self, text):
                self.log.append(("user", text, time.time()))
                messages = [{"role": r, "content": f"[{ago(ts)}] {t}"} for r, t, ts in self.log]
                resp = client.messages.create(model="m", max_tokens=400, messages=messages)
                self.log.append(("assistant", resp.content[0].text, time.time()))
                return resp
    """,
    "os.walk pruned in place through a slice but not sorted": """
        import os

        def tree(root):
            lines = []
            for dirpath, dirnames, filenames in os.walk(root):  # expect: CL202
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                lines.extend(os.path.join(dirpath, f) for f in sorted(filenames))
            return "\\n".join(lines)

        def ask(root, q):
            return client.messages.create(model="m", max_tokens=1, system="Files:\\n" + tree(root), messages=[{"role": "user", "content": q}])
    """,
    "dict built over a set, serialized in its own order": """
        def features(plans):
            names = set()  # expect: CL201
            for feats in plans.values():
                names.update(feats)
            matrix = {f: [p for p, feats in plans.items() if f in feats] for f in names}
            return json.dumps(matrix, indent=2)

        def ask(plans, q):
            return client.messages.create(model="m", max_tokens=1, system="Plans:\\n" + features(plans), messages=[{"role": "user", "content": q}])
    """,
    "id made once per object in __post_init__": """
        from dataclasses import dataclass

        @dataclass
        class Session:
            user: str

            def __post_init__(self):
                self.session_id = str(uuid.uuid4())  # expect: CL102

            def system(self):
                return f"You help {self.user}. Session {self.session_id}."

            def ask(self, q):
                return client.messages.create(model="m", max_tokens=1, system=self.system(), messages=[{"role": "user", "content": q}])
    """,
    "todo list taken from with pop and del, read by the system prompt": """
        class Agent:
            def __init__(self, todo):
                self.todo = list(todo)
                self.notes = {"a": 1}
                self.messages = []

            @property
            def system(self):
                return "Pending:\\n" + "\\n".join(self.todo) + f"Notes: {sorted(self.notes)}"

            def step(self, text):
                self.messages.append({"role": "user", "content": text})
                resp = client.messages.create(model="m", max_tokens=1, system=self.system, messages=self.messages)  # expect: CL302
                self.todo.pop(0)
                del self.notes["a"]
                return resp
    """,
    "notes deleted with del, read by the system prompt": """
        class Agent:
            def __init__(self):
                self.notes = {"a": "first", "b": "second"}

            def system(self):
                return "Notes: " + ", ".join(self.notes.values())

            def step(self, history, key):
                resp = client.messages.create(model="m", max_tokens=1, system=self.system(), messages=history)  # expect: CL302
                del self.notes[key]
                return resp
    """,
    "host platform and pod name in an environment block": """
        import os
        import platform

        ENV = f"<env>os: {platform.platform()}</env>"  # expect: CL103
        POD = os.environ.get("HOSTNAME", "local")  # expect: CL103

        def ask(q):
            return client.messages.create(model="m", max_tokens=1, system=[{"type": "text", "text": ENV + POD}], messages=[{"role": "user", "content": q}])
    """,
    "tool definitions built over a set and sent in its order": """
        NAMES = set(["search", "fetch", "plan"])  # expect: CL201

        def tools():
            out = []
            for name in NAMES:
                out.append({"name": name, "description": f"The {name} tool.", "input_schema": {"type": "object"}})
            return out

        def run(messages):
            return client.messages.create(model="m", max_tokens=1, tools=tools(), messages=messages)
    """,
    "one tool definition whose text lists a set": """
        def tool(kinds):
            return {"name": "search", "description": "Searches " + ", ".join(set(kinds)), "input_schema": {"type": "object"}}  # expect: CL201

        def run(kinds, messages):
            return client.messages.create(model="m", max_tokens=1, tools=[tool(kinds)], messages=messages)
    """,
    "LangChain chat model given (role, text) pairs": """
        from langchain_anthropic import ChatAnthropic

        llm = ChatAnthropic(model="claude-sonnet-4-5")

        def answer(history, question):
            msgs = [
                ("system", f"You are an analyst. Now: {datetime.now():%Y-%m-%d %H:%M}."),  # expect: CL101
                *history,
                ("human", question),
            ]
            return llm.invoke(msgs).content
    """,
    "parsed JSON given to the function that serializes it": """
        import httpx

        def catalog():
            return httpx.get("https://example.com/catalog").json()

        def instructions(data):
            return "Connectors:\\n" + json.dumps(data["connectors"], indent=2)  # expect: CL204

        def run(q):
            return client.messages.create(model="m", max_tokens=1, system=instructions(catalog()), messages=[{"role": "user", "content": q}])
    """,
    "full paths under the working directory": \
        """
        import os

        def ask(q):
            paths = [os.path.join(os.getcwd(), n) for n in sorted(os.listdir("docs"))]  # expect: CL103
            return client.messages.create(model="m", max_tokens=1, system=f"Files: {paths}", messages=[{"role": "user", "content": q}])
    """,
    "budget stepped every turn and written into the prompt, reported once": """
        class Agent:
            def __init__(self):
                self.budget = 10

            def turn(self, history):
                self.budget -= 1
                return client.messages.create(model="m", max_tokens=1, system=f"Tool calls left: {self.budget}", messages=history)  # expect: CL302
    """,
    "plugins registered in discovery order, tools taken in that order": \
        """
        import importlib.metadata

        def discover():
            found = {}
            for ep in importlib.metadata.entry_points(group="acme.tools"):  # expect: CL203
                plugin = ep.load()()
                found[plugin.name] = plugin
            return found

        def ask(messages):
            plugins = discover()
            return client.messages.create(model="m", max_tokens=1, tools=[p.definition() for p in plugins.values()], messages=messages)
    """,
    "a generic agent class called with its type parameter": """
        from agents import Agent

        triage = Agent[dict](name="triage", instructions=f"Route tickets. Now: {datetime.now():%H:%M}.")  # expect: CL101
    """,
    "host name passed to a constructor and to a dataclass": """
        import socket
        from dataclasses import dataclass

        class Ops:
            def __init__(self, node):
                self.node = node

            @property
            def system_prompt(self):
                return f"You are an SRE copilot on node {self.node}."

        @dataclass
        class Cfg:
            region: str

        def ask(history):
            ops = Ops(socket.gethostname())  # expect: CL103
            cfg = Cfg(region=socket.getfqdn())  # expect: CL103
            return client.messages.create(model="m", max_tokens=1, system=ops.system_prompt + f" Region {cfg.region}.", messages=history)
    """,
    "a settings object typed by its class": """
        import tempfile
        from dataclasses import dataclass, field

        @dataclass
        class Settings:
            workspace: str = field(default_factory=lambda: tempfile.mkdtemp())  # expect: CL103

        class Client:
            def __init__(self, settings: Settings):
                self.settings = settings

            def complete(self, history):
                return client.messages.create(model="m", max_tokens=1, system=f"Save under {self.settings.workspace}.", messages=history)
    """,
    "tool classes whose description holds the time": """
        from crewai.tools import BaseTool
        from smolagents import Tool

        class Analytics(BaseTool):
            name: str = "Web analytics"
            description: str = f"Query analytics (refreshed {datetime.now():%Y-%m-%d %H:%M})."  # expect: CL101

        class Lookup(Tool):
            name = "lookup"
            description = f"Look things up (session {uuid.uuid4()})."  # expect: CL102
            inputs = {"q": {"type": "string", "description": "query"}}
    """,
    "system reminder ahead of the user message": """
        import openai
        oai = openai.OpenAI()

        def run(q):
            return oai.chat.completions.create(model="gpt-4o", messages=[
                {"role": "system", "content": f"Current time: {datetime.now()}"},  # expect: CL101
                {"role": "user", "content": q},
            ])
    """,
    "langchain chain filled at invoke": """
        from langchain_anthropic import ChatAnthropic
        from langchain_core.prompts import ChatPromptTemplate

        prompt = ChatPromptTemplate.from_messages([("system", "You schedule visits. Now: {now}"), ("human", "{request}")])
        chain = prompt | ChatAnthropic(model="claude-sonnet-4-5")

        def run(request):
            now = datetime.now().isoformat()  # expect: CL101
            return chain.invoke({"now": now, "request": request})
    """,
    "langchain system template inside a chat prompt, filled by keyword": """
        from langchain_core.prompts import ChatPromptTemplate, SystemMessagePromptTemplate

        prompt = ChatPromptTemplate.from_messages([SystemMessagePromptTemplate.from_template("Session {session}."), ("human", "{q}")])

        def run(q):
            return prompt.format_messages(session=uuid.uuid4().hex, q=q)  # expect: CL102
    """,
    "module constants after a top-level try, if, loop and comprehension": """
        try:
            import orjson
        except ImportError:
            orjson = None
        if orjson is None:
            MODE = "json"
        for _name in ("a", "b"):
            pass
        NAMES = [n for n in ("x", "y")]
        SYSTEM = f"Started {datetime.now()}. " + "Rules. " * 60  # expect: CL101

        def run(messages):
            return client.messages.create(model="m", max_tokens=1, system=SYSTEM, messages=messages)
    """,
    "a module-level comprehension over a directory listing": """
        import os

        SKILLS = [name for name in os.listdir("skills")]  # expect: CL202
        LISTED = "; ".join(SKILLS)

        def run(messages):
            return client.messages.create(model="m", max_tokens=1, system="Skills: " + LISTED, messages=messages)
    """,
    "a nested function reads a variable of the function it is defined in": """
        def system_for(user):
            run_id = uuid.uuid4().hex  # expect: CL102

            def render():
                return f"Run {run_id} for {user}. " + "Rules. " * 60

            return render()

        def run(user, messages):
            return client.messages.create(model="m", max_tokens=1, system=system_for(user), messages=messages)
    """,
    "a function given for the instructions runs for every request": """
        from agents import Agent

        def instructions(context, agent):
            return f"Now: {datetime.now()}. Help the user."  # expect: CL101

        agent = Agent(name="triage", instructions=instructions)
    """,
    "a lambda given for the instructions runs for every request": """
        from agents import Agent

        agent = Agent(name="triage", instructions=lambda ctx, agent: f"Now: {datetime.now()}. Help.")  # expect: CL101
    """,
    "the first file of a listing that matches a pattern": """
        import os

        def prompt_path(folder):
            for name in os.listdir(folder):  # expect: CL202
                if name.endswith(".md"):
                    return os.path.join(folder, name)
            return ""

        def run(messages):
            with open(prompt_path("prompts")) as f:
                system = f.read()
            return client.messages.create(model="m", max_tokens=1, system=system, messages=messages)
    """,
    "few-shot examples shuffled in place": """
        EXAMPLES = ["Q: a A: b", "Q: c A: d", "Q: e A: f"]

        def run(ticket):
            shots = list(EXAMPLES)
            random.shuffle(shots)  # expect: CL102
            system = "Classify the ticket. " + " | ".join(shots)
            return client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": ticket}])
    """,
    "per-request text before a static part built by repetition": """
        RULE = "Answer only from the price list, in plain words, and say when you are unsure. "

        def run(customer, messages):
            system = f"Customer {customer}. " + RULE * 20  # expect: CL301
            return client.messages.create(model="m", max_tokens=1, system=system, messages=messages)
    """,
    "system blocks appended, per-request block first": """
        GUIDE = "Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. "

        def run(user):
            blocks = []
            blocks.append({"type": "text", "text": f"User: {user}"})  # expect: CL301
            blocks.append({"type": "text", "text": GUIDE, "cache_control": {"type": "ephemeral"}})
            client.messages.create(model="m", max_tokens=1, system=blocks, messages=[])
    """,
    "system block appended to a literal holding the per-request block": """
        GUIDE = "Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. "

        def run(user):
            blocks = [{"type": "text", "text": f"User: {user}"}]  # expect: CL301
            blocks.append({"type": "text", "text": GUIDE})
            client.messages.create(model="m", max_tokens=1, system=blocks, messages=[])
    """,
    "direct kwarg": """
        def run(q):
            client.messages.create(model="m", max_tokens=1, system=str(datetime.now()), messages=[{"role": "user", "content": q}])  # expect: CL101
    """,
    "alias import": """
        def run(q):
            client.messages.create(model="m", max_tokens=1, system=f"{dt.now()}", messages=[])  # expect: CL101
    """,
    "module alias": """
        def run(q):
            client.messages.create(model="m", max_tokens=1, system=f"{_dt.datetime.utcnow()}", messages=[])  # expect: CL101
    """,
    "assignment chain": """
        def run(q):
            a = time.time()  # expect: CL101
            b = a
            c = b
            client.messages.create(model="m", max_tokens=1, system=c, messages=[])
    """,
    "f-string": """
        def run(q):
            stamp = datetime.now()  # expect: CL101
            client.messages.create(model="m", max_tokens=1, system=f"Now: {stamp}", messages=[])
    """,
    "plus": """
        def run(q):
            s = "You are helpful. " + str(uuid.uuid4())  # expect: CL102
            client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    """,
    "percent": """
        def run(q):
            s = "Session %s" % uuid.uuid4().hex  # expect: CL102
            client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    """,
    "str.format": """
        def run(q):
            s = "Clock {}".format(time.time())  # expect: CL101
            client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    """,
    "format template variable": """
        TEMPLATE = "You are a bot. Time: {now}"
        def run(q):
            s = TEMPLATE.format(now=datetime.now())  # expect: CL101
            client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    """,
    "str.join": """
        def run(q):
            parts = ["Rules.", f"Nonce {random.random()}"]  # expect: CL102
            client.messages.create(model="m", max_tokens=1, system="\\n".join(parts), messages=[])
    """,
    "textwrap.dedent": """
        def run(q):
            s = textwrap.dedent(f'''
                Hello {datetime.now()}  # expect: CL101
            ''')
            client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    """,
    "augmented assignment": """
        def run(q):
            s = "Policy."
            s += f" Seed {random.randint(0, 9)}"  # expect: CL102
            client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    """,
    "tuple and list literals": """
        def run(q):
            blocks = [{"type": "text", "text": "static"}, {"type": "text", "text": str(uuid.uuid1())}]  # expect: CL102
            client.messages.create(model="m", max_tokens=1, system=blocks, messages=[])
    """,
    "comprehension": """
        def run(q, names):
            tools = [{"name": n, "description": f"{n} as of {time.time()}", "input_schema": {}} for n in names]  # expect: CL101
            client.messages.create(model="m", max_tokens=1, tools=tools, messages=[])
    """,
    "dict literal in tools": """
        def run(q):
            tool = {"name": "t", "description": "Built " + datetime.today().isoformat(), "input_schema": {}}  # expect: CL101
            client.messages.create(model="m", max_tokens=1, tools=[tool], messages=[])
    """,
    "list.append": """
        def run(q):
            tools = []
            tools.append({"name": "t", "description": f"id {uuid.uuid4()}", "input_schema": {}})  # expect: CL102
            client.messages.create(model="m", max_tokens=1, tools=tools, messages=[])
    """,
    "list.extend": """
        def run(q):
            sections = ["a"]
            sections.extend([f"at {time.ctime()}"])  # expect: CL101
            client.messages.create(model="m", max_tokens=1, system="".join(sections), messages=[])
    """,
    "list.insert(0) in messages": """
        def run(history, q):
            messages = list(history)
            messages.insert(0, {"role": "user", "content": f"Context at {datetime.now()}"})  # expect: CL101
            messages.append({"role": "user", "content": q})
            client.messages.create(model="m", max_tokens=1, messages=messages)
    """,
    "request dict as **params": """
        def run(q):
            params = {"model": "m", "max_tokens": 1, "system": f"t={time.time_ns()}", "messages": []}  # expect: CL101
            return client.messages.create(**params)
    """,
    "dict() call as **params": """
        def run(q):
            params = dict(model="m", max_tokens=1, system=f"t={time.time()}", messages=[])  # expect: CL101
            return client.messages.create(**params)
    """,
    "subscript assignment into request dict": """
        def run(q):
            params = {"model": "m", "max_tokens": 1, "messages": []}
            params["system"] = f"seed {random.getrandbits(32)}"  # expect: CL102
            return client.messages.create(**params)
    """,
    "helper function return": """
        def render_system():
            return "You are an agent. Now: " + datetime.now().strftime("%H:%M")  # expect: CL101

        def run(q):
            client.messages.create(model="m", max_tokens=1, system=render_system(), messages=[])
    """,
    "helper parameter reaches sink": """
        def send(system_text, q):
            return client.messages.create(model="m", max_tokens=1, system=system_text, messages=[{"role": "user", "content": q}])

        def handle(q):
            return send(f"Request {uuid.uuid4()}", q)  # expect: CL102
    """,
    "helper parameter through two levels": """
        def send(system_text):
            return client.messages.create(model="m", max_tokens=1, system=system_text, messages=[])

        def wrap(prefix):
            return send(prefix + " Be brief.")

        def handle():
            return wrap(f"{time.time()}")  # expect: CL101
    """,
    "attribute set in __init__": """
        class Agent:
            def __init__(self):
                self.started = datetime.now().isoformat()  # expect: CL101

            def ask(self, q):
                return client.messages.create(model="m", max_tokens=1, system=f"Session since {self.started}", messages=[{"role": "user", "content": q}])
    """,
    "method return value": """
        class Agent:
            def prompt(self):
                return f"Turn nonce {random.random()}"  # expect: CL102

            def ask(self, q):
                return client.messages.create(model="m", max_tokens=1, system=self.prompt(), messages=[])
    """,
    "property": """
        class Agent:
            @property
            def system(self):
                return f"Now {time.time()}"  # expect: CL101

            def ask(self, q):
                return client.messages.create(model="m", max_tokens=1, system=self.system, messages=[])
    """,
    "async stream and beta": """
        aclient = anthropic.AsyncAnthropic()

        async def run(q):
            async with aclient.beta.messages.stream(model="m", max_tokens=1, system=f"{time.time()}", messages=[]) as s:  # expect: CL101
                pass
    """,
    "with_options chain": """
        def run(q):
            return client.with_options(timeout=5).messages.create(model="m", max_tokens=1, system=f"{time.time()}", messages=[])  # expect: CL101
    """,
    "with_raw_response": """
        def run(q):
            return client.messages.with_raw_response.create(model="m", max_tokens=1, system=f"{uuid.uuid4()}", messages=[])  # expect: CL102
    """,
    "earlier message in literal history": """
        def run(history, q):
            messages = [{"role": "user", "content": f"Snapshot {time.time()}"}, *history, {"role": "user", "content": q}]  # expect: CL101
            return client.messages.create(model="m", max_tokens=1, messages=messages)
    """,
    "list concatenation keeps positions": """
        def run(history, q):
            head = [{"role": "user", "content": "Now " + str(datetime.now())}]  # expect: CL101
            return client.messages.create(model="m", max_tokens=1, messages=head + history + [{"role": "user", "content": q}])
    """,
    "walrus": """
        def run(q):
            if (s := f"{time.time()}"):  # expect: CL101
                client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    """,
    "branch join": """
        def run(q, verbose):
            if verbose:
                s = "Verbose " + str(uuid.uuid4())  # expect: CL102
            else:
                s = "Terse"
            client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    """,
    "an SDK call handed to a thread by asyncio.to_thread": """
        import asyncio

        async def answer(question):
            system = f"Today is {datetime.now()}"  # expect: CL101
            return await asyncio.to_thread(client.messages.create, model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": question}])
    """,
    "an SDK call in a lambda handed to run_in_executor": """
        import asyncio

        async def answer(question):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, lambda: client.messages.create(model="m", max_tokens=1, system=f"id {uuid.uuid4()}", messages=[]))  # expect: CL102
    """,
    "an SDK call bound by functools.partial, or wrapped by sync_to_async": """
        import functools
        from asgiref.sync import sync_to_async

        def bound():
            return functools.partial(client.messages.create, model="m", max_tokens=1, system=f"at {time.time()}", messages=[])  # expect: CL101

        async def wrapped():
            return await sync_to_async(client.messages.create)(model="m", max_tokens=1, system=str(uuid.uuid4()), messages=[])  # expect: CL102
    """,
    "an SDK call bound by partial and handed to a thread, and a temp path made the same way": """
        import asyncio
        import functools
        import tempfile

        async def answer():
            work = await asyncio.to_thread(functools.partial(tempfile.mkdtemp, prefix="run-"))  # expect: CL103
            await asyncio.to_thread(functools.partial(client.messages.create, model="m", max_tokens=1, system=f"Workdir {work}", messages=[]))
    """,
    "parsed JSON written where it may be a dict, beside a branch for numbers": """
        def extract(raw):
            parsed = json.loads(raw)
            if isinstance(parsed, int):
                return str(parsed)
            return json.dumps(parsed)  # expect: CL204

        def ask(row):
            return client.messages.create(model="m", max_tokens=1, system=extract(row), messages=[])
    """,
    "tools registered from inside the conversation loop": """
        class Agent:
            def __init__(self):
                self.tools = {}
                self.history = []

            def register_tool(self, name, description):
                self.tools[name] = description

            def ask(self, text):
                self.history.append({"role": "user", "content": text})
                reply = client.messages.create(model="m", max_tokens=1, system="Tools: " + ", ".join(self.tools), messages=self.history, cache_control={"type": "ephemeral"})  # expect: CL302
                self.history.append({"role": "assistant", "content": reply.content})

        def main():
            agent = Agent()
            while True:
                text = input()
                if text.startswith("/add "):
                    agent.register_tool(text[5:], "user tool")
                agent.ask(text)
    """,
    "loop-carried": """
        def run(questions):
            system = "Base."
            for q in questions:
                client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": q}])
                system = f"Base. Last turn at {time.time()}"  # expect: CL101
    """,
}

LOOKALIKES = {
    "tools registered once before the conversation loop, or at import": """
        class Agent:
            def __init__(self):
                self.tools = {}
                self.history = []

            def register_tool(self, name, description):
                self.tools[name] = description

            def ask(self, text):
                self.history.append({"role": "user", "content": text})
                system = "Tools: " + ", ".join(self.tools)
                reply = client.messages.create(model="m", max_tokens=1, system=system, messages=self.history, cache_control={"type": "ephemeral"})
                self.history.append({"role": "assistant", "content": reply.content})

        shared = Agent()
        shared.register_tool("calc", "Evaluate an expression")

        def main():
            agent = Agent()
            agent.register_tool("search", "Search the web")
            while True:
                agent.ask(input())
    """,
    "parsed JSON known to be a number or a string where it is written": """
        def extract(raw):
            parsed = json.loads(raw)
            if isinstance(parsed, (int, float)):
                return str(parsed)
            if isinstance(parsed, str):
                return parsed
            return raw

        def ask(row):
            return client.messages.create(model="m", max_tokens=1, system=extract(row), messages=[])
    """,
    "a partial given keywords, called with positional arguments (no request, and no crash)": """
        import functools

        def load_credentials(scope, extra=None):
            return scope

        load = functools.partial(load_credentials, extra="cloud")

        def credentials(scope):
            return load(scope, time.time())
    """,
    "a clock value handed to a thread with something that is not a request": """
        import asyncio
        import functools
        from concurrent.futures import ThreadPoolExecutor

        async def log_now(logger, pool: ThreadPoolExecutor):
            await asyncio.to_thread(logger.info, f"at {datetime.now()}")
            pool.submit(print, time.time())
            stamp = functools.partial(str, uuid.uuid4())
            return await asyncio.get_running_loop().run_in_executor(None, lambda x: client.messages.create(model="m", max_tokens=1, system=str(x), messages=[]), uuid.uuid4())
    """,
    "timestamps and ids kept per record, rendered again in a loop each turn": """
        class GroupChat:
            def __init__(self):
                self.log = []

            def add(self, author, text):
                self.log.append((author, text, datetime.now(), uuid.uuid4().hex[:8]))

            def render(self):
                lines = []
                for author, text, at, pid in self.log:
                    lines.append({"role": "user", "content": f"[{at:%H:%M}] #{pid} {author}: {text}"})
                return lines

            def respond(self):
                response = client.messages.create(model="m", max_tokens=1, messages=self.render(), cache_control={"type": "ephemeral"})
                self.add("bot", response.content[0].text)
    """,
    "system text taken from the system messages of a growing history": """
        def to_anthropic(history):
            system = "\\n\\n".join(m["content"] for m in history if m["role"] == "system")
            return system, [m for m in history if m["role"] in ("user", "assistant")]

        class Bridge:
            def __init__(self, system_text):
                self.history = [{"role": "system", "content": system_text}]

            def send(self, text):
                self.history.append({"role": "user", "content": text})
                system, messages = to_anthropic(self.history)
                reply = client.messages.create(model="m", max_tokens=1, system=system, messages=messages)
                self.history.append({"role": "assistant", "content": reply.content})
    """,
    "a batch loop's item in the newest message of a body a helper serializes": """
        import boto3

        def make_body(transcript):
            return json.dumps({
                "anthropic_version": "bedrock-2023-05-31",
                "system": [{"type": "text", "text": "Summarise calls.", "cache_control": {"type": "ephemeral"}}],
                "messages": [{"role": "user", "content": transcript}],
            })

        def summarise(transcript):
            return boto3.client("bedrock-runtime").invoke_model(modelId="m", body=make_body(transcript))

        def main(paths):
            for path in paths:
                summarise(open(path).read())
    """,
    "timestamps and ids kept in tuple records, formatted again each turn": """
        def chat():
            turns = []
            while True:
                turns.append(("user", input("> "), datetime.now(), uuid.uuid4().hex[:6]))
                messages = [{"role": r, "content": f"[{at:%H:%M}] #{pid} {text}"} for r, text, at, pid in turns]
                reply = client.messages.create(model="m", max_tokens=1, messages=messages, cache_control={"type": "ephemeral"})
                turns.append(("assistant", reply.content[0].text, datetime.now(), uuid.uuid4().hex[:6]))
    """,
    "system prompt set by a helper only __init__ calls, in __aenter__ and in start()": """
        class Session:
            def __init__(self, team):
                self.team = team
                self.messages = []
                self._build_system()

            def _build_system(self):
                self.system = f"You help the {self.team} team."
                self._add_rules()

            def _add_rules(self):
                self.system += " Be brief."

            async def __aenter__(self):
                self.persona = f"Team {self.team}."
                return self

            def start(self):
                self.greeting = f"Hello {self.team}."

            def ask(self, q):
                self.messages.append({"role": "user", "content": q})
                return client.messages.create(model="m", max_tokens=1, system=self.system + self.persona + self.greeting, messages=self.messages)
    """,
    "the one file of a listing with a given name": """
        import os

        def prompt_path(folder):
            for name in os.listdir(folder):
                if name == "system.txt":
                    return os.path.join(folder, name)
            return os.path.join(folder, "default.txt")

        def run(messages):
            with open(prompt_path("prompts")) as f:
                system = f.read()
            return client.messages.create(model="m", max_tokens=1, system=system, messages=messages)
    """,
    "a lambda given for the instructions returns the same text each time": """
        from agents import Agent

        agent = Agent(name="triage", instructions=lambda ctx, agent: "Help the user. " + "Rules. " * 60)
    """,
    "a function given for the instructions returns the same text each time": """
        from agents import Agent

        def instructions(context, agent):
            return "Help the user. " + "Rules. " * 60

        def log_time():
            return datetime.now()

        agent = Agent(name="triage", instructions=instructions)
        log_time()
    """,
    "a nested function reads a constant of the function it is defined in": """
        def system_for():
            rules = "Rules. " * 60

            def render():
                return "You are careful. " + rules

            return render()

        def run(messages):
            stamp = datetime.now()

            def log():
                print(stamp)

            log()
            return client.messages.create(model="m", max_tokens=1, system=system_for(), messages=messages)
    """,
    "a list shuffled by a seeded generator, and one shuffled for the user message only": """
        EXAMPLES = ["Q: a A: b", "Q: c A: d", "Q: e A: f"]

        def run(ticket):
            shots = list(EXAMPLES)
            random.Random(7).shuffle(shots)
            options = ["yes", "no", "maybe"]
            random.shuffle(options)
            return client.messages.create(model="m", max_tokens=1, system="Classify. " + " | ".join(shots), messages=[{"role": "user", "content": ticket + " Options: " + ", ".join(options)}])
    """,
    "per-request text before a short repeated separator": """
        def run(customer, messages):
            system = f"Customer {customer}. " + "-" * 40
            return client.messages.create(model="m", max_tokens=1, system=system, messages=messages)
    """,
    "per-request text after a static part built by repetition": """
        RULE = "Answer only from the price list, in plain words, and say when you are unsure. "

        def run(customer, messages):
            system = 3 * RULE + f"Customer {customer}."
            return client.messages.create(model="m", max_tokens=1, system=system, messages=messages)
    """,
    "newest user message only": """
        def run(q):
            client.messages.create(model="m", max_tokens=1, system="Static.", messages=[{"role": "user", "content": f"{datetime.now()} {q}"}])
    """,
    "appended history turns": """
        def run(questions):
            history = []
            for q in questions:
                history.append({"role": "user", "content": f"[{datetime.now():%H:%M:%S}] {q}"})
                r = client.messages.create(model="m", max_tokens=1, system="Static.", messages=history)
                history.append({"role": "assistant", "content": r.content})
    """,
    "log call": """
        import logging
        log = logging.getLogger(__name__)
        def run(q):
            log.info("sending at %s id %s", datetime.now(), uuid.uuid4())
            client.messages.create(model="m", max_tokens=1, system="Static.", messages=[])
    """,
    "metadata and headers": """
        def run(q):
            rid = str(uuid.uuid4())
            client.messages.create(model="m", max_tokens=1, system="Static.", messages=[],
                                   metadata={"user_id": rid}, extra_headers={"x-request-id": rid, "x-time": str(time.time())})
    """,
    "saved transcript file name": """
        def run(q):
            r = client.messages.create(model="m", max_tokens=1, system="Static.", messages=[{"role": "user", "content": q}])
            with open(f"transcript-{datetime.now():%Y%m%d-%H%M%S}.json", "w") as fh:
                json.dump({"q": q, "a": str(r)}, fh)
    """,
    "comparison only": """
        DEADLINE = datetime(2030, 1, 1)
        def run(q):
            system = "Closed." if datetime.now() > DEADLINE else "Open."
            client.messages.create(model="m", max_tokens=1, system=system, messages=[])
    """,
    "fixed date literal": """
        def run(q):
            client.messages.create(model="m", max_tokens=1, system=f"Knowledge cutoff {date(2025, 1, 1)}", messages=[])
    """,
    "seeded random and uuid5": """
        rng = random.Random(7)
        AGENT = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.com/agent")
        def run(q):
            client.messages.create(model="m", max_tokens=1, system=f"{AGENT} {rng.choice(['a', 'b'])}", messages=[])
    """,
    "elapsed time only logged": """
        def run(q):
            t0 = time.perf_counter()
            client.messages.create(model="m", max_tokens=1, system="Static.", messages=[{"role": "user", "content": q}])
            print("took", time.perf_counter() - t0)
    """,
    "volatile block after the last breakpoint": """
        def run(q):
            client.messages.create(model="m", max_tokens=1, messages=[{"role": "user", "content": q}], system=[
                {"type": "text", "text": "Long static policy", "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": f"Now: {datetime.now()}"},
            ])
    """,
    "unrelated create call": """
        class Store:
            def save(self, messages):
                return self.messages.create(payload=f"{datetime.now()}")
    """,
    "len of volatile": """
        def run(q):
            n = len(str(uuid.uuid4()))
            client.messages.create(model="m", max_tokens=1, system=f"Ids have {n} characters.", messages=[])
    """,
    "system blocks appended, static block first": """
        GUIDE = "Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. "

        def run(user):
            blocks = []
            blocks.append({"type": "text", "text": GUIDE, "cache_control": {"type": "ephemeral"}})
            blocks.append({"type": "text", "text": f"User: {user}"})
            client.messages.create(model="m", max_tokens=1, system=blocks, messages=[])
    """,
    "system blocks appended, all static": """
        GUIDE = "Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. Answer in plain words. "

        def run(user):
            blocks = []
            blocks.append({"type": "text", "text": "You are the support assistant of Acme."})
            blocks.append({"type": "text", "text": GUIDE, "cache_control": {"type": "ephemeral"}})
            client.messages.create(model="m", max_tokens=1, system=blocks, messages=[{"role": "user", "content": user}])
    """,
    "langchain placeholder in the human message filled at invoke": """
        from langchain_anthropic import ChatAnthropic
        from langchain_core.prompts import ChatPromptTemplate

        prompt = ChatPromptTemplate.from_messages([("system", "You schedule visits for {clinic}."), ("human", "{request} (sent {sent})")])
        chain = prompt | ChatAnthropic(model="claude-sonnet-4-5")

        def run(request):
            return chain.invoke({"clinic": "Northside", "request": request, "sent": datetime.now()})
    """,
    "system reminder after the user message": """
        import openai
        oai = openai.OpenAI()

        def run(q):
            return oai.chat.completions.create(model="gpt-4o", messages=[
                {"role": "user", "content": q},
                {"role": "system", "content": f"Current time: {datetime.now()}"},
            ])
    """,
    "dataclass field factories that reach only metadata or make empty containers": """
        from dataclasses import dataclass, field

        @dataclass
        class Session:
            user: str
            run: str = field(default_factory=lambda: str(uuid.uuid4()))
            history: list = field(default_factory=list)

            def ask(self, q):
                return client.messages.create(model="m", max_tokens=1, system=f"You help {self.user}.", messages=[*self.history, {"role": "user", "content": q}], metadata={"user_id": self.run})
    """,
    "time functions given the time to format": """
        KB_RELEASE = 1767225600

        def ask(q, saved_at):
            released = time.strftime("%Y-%m-%d", time.gmtime(KB_RELEASE))
            system = f"Knowledge base of {released}. Saved {time.ctime(saved_at)}, {time.asctime(time.localtime(saved_at))}."
            return client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": q}])
    """,
    "send times kept with each record and rendered again every turn": """
        class Chat:
            def __init__(self):
                self.log = []

            def render(self):
                return [{"role": r, "content": f"[{time.strftime('%H:%M', time.localtime(ts))}] {t}"} for r, t, ts in self.log]

            def reply(self, text):
                self.log.append(("user", text, time.time()))
                resp = client.messages.create(model="m", max_tokens=400, messages=self.render())
                self.log.append(("assistant", resp.content[0].text, time.time()))
                return resp
    """,
    "os.walk pruned and sorted in place through a slice": """
        import os

        def tree(root):
            lines = []
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                lines.extend(os.path.join(dirpath, f) for f in sorted(filenames))
            return "\\n".join(lines)

        def ask(root, q):
            return client.messages.create(model="m", max_tokens=1, system="Files:\\n" + tree(root), messages=[{"role": "user", "content": q}])
    """,
    "dict built over a set, serialized with sorted keys": \
        """
        def features(plans):
            names = set()
            for feats in plans.values():
                names.update(feats)
            matrix = {f: [p for p, feats in plans.items() if f in feats] for f in names}
            return json.dumps(matrix, sort_keys=True, indent=2)

        def ask(plans, q):
            return client.messages.create(model="m", max_tokens=1, system="Plans:\\n" + features(plans), messages=[{"role": "user", "content": q}])
    """,
    "settings read from the environment": """
        import os

        MODEL = os.getenv("AGENT_MODEL", "claude-sonnet-4-5")
        TONE = os.environ.get("AGENT_TONE", "friendly")

        def ask(q):
            return client.messages.create(model=MODEL, max_tokens=1, system=f"Be {TONE}.", messages=[{"role": "user", "content": q}])
    """,
    "tool definitions built in completion order, then sorted by name": """
        import asyncio

        async def collect(servers):
            tools = []
            for fut in asyncio.as_completed([s.list_tools() for s in servers]):
                listing = await fut
                tools.extend({"name": t.name, "description": t.description, "input_schema": t.inputSchema} for t in listing.tools)
            tools.sort(key=lambda t: t["name"])
            return tools

        async def run(servers, messages):
            return client.messages.create(model="m", max_tokens=1, tools=await collect(servers), messages=messages)
    """,
    "LangChain (role, text) pairs with the time after the question": """
        from langchain_anthropic import ChatAnthropic

        llm = ChatAnthropic(model="claude-sonnet-4-5")
        STEPS = [("step", 1), ("step", 2)]

        def answer(history, question):
            msgs = [("system", "You are an analyst."), *history, ("human", question), ("system", f"Now: {datetime.now()}")]
            return llm.invoke(msgs).content
    """,
    "a literal dict given to the function that serializes it": """
        def instructions(data):
            return "Connectors:\\n" + json.dumps(data["connectors"], indent=2)

        def run(q, extra):
            system = instructions({"connectors": ["crm", "mail"]}) + instructions(extra)
            return client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": q}])
    """,
    "fields read out of parsed JSON by helpers": """
        CFG = json.load(open("company.json"))
        EXAMPLES = json.loads(open("examples.json").read())

        def company(c):
            return c["name"]

        def render(examples):
            return "\\n".join(f"Text: {e['text']} Intent: {e['intent']}" for e in examples)

        def ask(q):
            system = f"Company: {company(CFG)}. Examples: {render(EXAMPLES)}"
            return client.messages.create(model="m", max_tokens=1, system=system, messages=[{"role": "user", "content": q}])
    """,
    "file names listed from the working directory, paths made relative": """
        import os

        def ask(q):
            docs = ", ".join(sorted(os.listdir(os.path.join(os.getcwd(), "docs"))))
            root = os.getcwd()
            rel = [os.path.relpath(os.path.join(root, "docs", n), root) for n in sorted(os.listdir("docs"))]
            return client.messages.create(model="m", max_tokens=1, system=f"Docs: {docs}. Files: {rel}", messages=[{"role": "user", "content": q}])
    """,
    "system prompt built once from memory and kept": """
        class Agent:
            def __init__(self):
                self.memory = []
                self.history = []
                self._prompt = None

            def step(self, text):
                self.memory.append(text)
                if self._prompt is None:
                    self._prompt = "Memory:\\n" + "\\n".join(self.memory)
                self.history.append({"role": "user", "content": text})
                return client.messages.create(model="m", max_tokens=1, system=self._prompt, messages=self.history)
    """,
    "specs read from a folder next to the module, passed to a loader": """
        from pathlib import Path

        SPEC_DIR = Path(__file__).parent / "specs"

        def load(spec_dir):
            return [json.loads(p.read_text()) for p in sorted(spec_dir.glob("*.json"))]

        def prompt(folder):
            return (folder / "system.md").read_text()

        def ask(messages):
            return client.messages.create(model="m", max_tokens=1, tools=load(SPEC_DIR), system=prompt(SPEC_DIR), messages=messages)
    """,
    "plugins registered in discovery order, tools built by sorted name": """
        import importlib.metadata

        def discover():
            found = {}
            for ep in importlib.metadata.entry_points(group="acme.tools"):
                plugin = ep.load()()
                found[plugin.name] = plugin
            return found

        def definitions(plugins):
            return [plugins[name].definition() for name in sorted(plugins)]

        def ask(messages):
            plugins = discover()
            inline = [plugins[n].definition() for n in sorted(plugins.keys())]
            return client.messages.create(model="m", max_tokens=1, tools=definitions(plugins) + inline, messages=messages)
    """,
    "constant passed to a constructor": """
        class Ops:
            def __init__(self, node):
                self.node = node

            def system_prompt(self):
                return f"You are an SRE copilot on node {self.node}."

        def ask(history):
            ops = Ops("web-1")
            return client.messages.create(model="m", max_tokens=1, system=ops.system_prompt(), messages=history)
    """,
    "clock note appended after the turns": """
        import openai
        oai = openai.OpenAI()

        def run(history, q):
            messages = [{"role": "system", "content": "You are helpful."}, *history, {"role": "user", "content": q}]
            messages.append({"role": "system", "content": f"Current time: {datetime.now()}"})
            return oai.chat.completions.create(model="gpt-4o", messages=messages)
    """,
    "clock note concatenated after the history": """
        import openai
        oai = openai.OpenAI()

        def run(history, q):
            turns = [*history, {"role": "user", "content": q}]
            return oai.chat.completions.create(model="gpt-4o", messages=turns + [{"role": "system", "content": f"Now: {datetime.now()}"}])
    """,
    "tool notes built as system messages in a loop over a fixed list": """
        import openai
        oai = openai.OpenAI()
        TOOLS = [("search", "Searches the web."), ("calc", "Does arithmetic.")]

        def run(history, q):
            messages = [{"role": "system", "content": "You are helpful."}]
            for name, description in TOOLS:
                messages.append({"role": "system", "content": f"[{name}]: {description}"})
            return oai.chat.completions.create(model="gpt-4o", messages=messages + history + [{"role": "user", "content": q}])
    """,
    "history seeded once before the loop": """
        def run(questions):
            messages = [{"role": "user", "content": f"Session started {datetime.now()}"}]
            for q in questions:
                messages.append({"role": "user", "content": q})
                r = client.messages.create(model="m", max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": r.content})
    """,
}


@pytest.mark.parametrize("name", sorted(PROPAGATION))
def test_propagation(name: str) -> None:
    code = HEADER + textwrap.dedent(PROPAGATION[name])
    want = expected(code)
    assert want, "test case must carry an expect mark"
    assert found(code) == want


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_is_silent(name: str) -> None:
    assert found(HEADER + textwrap.dedent(LOOKALIKES[name])) == []


def test_finding_carries_segment_and_related_sink() -> None:
    code = HEADER + """
def run(q):
    stamp = datetime.now()
    return client.messages.create(
        model="m",
        max_tokens=1,
        system=f"Now {stamp}",
        messages=[],
        cache_control={"type": "ephemeral"},
    )
"""
    [diag] = check(code)
    assert (diag.code, diag.segment, diag.severity) == ("CL101", "system", "high")
    assert diag.location.row == 14 and diag.location.column == 13
    assert [r.location.row for r in diag.related] == [15]
    assert "client.messages.create" in diag.message and "`system`" in diag.message


@pytest.mark.parametrize(
    ("expression", "severity"),
    [
        ("datetime.now()", "high"),
        ("datetime.now().isoformat()", "high"),
        ("datetime.now().strftime('%Y-%m-%d %H:%M')", "high"),
        ("datetime.now().strftime('%Y-%m-%d %H')", "medium"),
        ("datetime.now().strftime('%Y-%m-%d')", "low"),
        ("f'{datetime.now():%A %d %B}'", "low"),
        ("date.today()", "low"),
        ("datetime.now().date()", "low"),
        ("datetime.now().year", "info"),
        ("time.strftime('%Y')", "info"),
        ("time.strftime('%Y-%m-%d', time.localtime())", "low"),
        ("time.strftime('%H:%M', time.gmtime())", "high"),
        ("time.strftime('%H', time.localtime(time.time()))", "medium"),
        ("int(time.time() // 86400)", "low"),
    ],
)
def test_clock_severity_follows_granularity(expression: str, severity: str) -> None:
    code = HEADER + f"""
def run(q):
    client.messages.create(model="m", max_tokens=1, system=f"{{{expression}}}", messages=[], cache_control={{"type": "ephemeral"}})
"""
    [diag] = check(code)
    assert diag.severity == severity


def test_module_constant_is_one_step_lower_and_says_so() -> None:
    code = HEADER + """
STARTED = datetime.now().isoformat()

def run(q):
    client.messages.create(model="m", max_tokens=1, system=f"Up since {STARTED}", messages=[], cache_control={"type": "ephemeral"})
"""
    [diag] = check(code)
    assert diag.severity == "medium"
    assert "once per process" in diag.message


def test_a_prompt_built_at_import_is_fixed_for_the_process() -> None:
    code = HEADER + """
from langchain_core.messages import SystemMessage

SYSTEM = SystemMessage(content=f"Started {datetime.now()}")
"""
    [diag] = check(code)
    assert diag.code == "CL101" and diag.severity == "medium"
    assert "once per process" in diag.message


def test_a_module_level_loop_still_sends_per_iteration() -> None:
    code = HEADER + """
for q in ["a", "b"]:
    client.messages.create(model="m", max_tokens=1, system=f"Now {datetime.now()}", messages=[{"role": "user", "content": q}])
"""
    [diag] = check(code)
    assert "once per process" not in diag.message


@pytest.mark.parametrize(
    ("given", "per_process"),
    [("lambda: datetime.now().isoformat()", False), ("datetime.now().isoformat()", True)],
)
def test_langchain_partial_runs_a_lambda_at_every_format(given: str, per_process: bool) -> None:
    code = HEADER + f"""
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

prompt = ChatPromptTemplate.from_messages([("system", "Be brief. Time: {{now}}"), MessagesPlaceholder("messages")]).partial(now={given})
"""
    [diag] = check(code)
    assert diag.code == "CL101"
    assert ("once per process" in diag.message) == per_process
    assert "ChatPromptTemplate.from_messages(...).partial" in diag.message


def test_value_frozen_before_the_conversation_loop_is_lower() -> None:
    code = HEADER + """
def run(questions):
    system = f"Session opened {datetime.now()}"
    history = []
    for q in questions:
        history.append({"role": "user", "content": q})
        client.messages.create(model="m", max_tokens=1, system=system, messages=history, cache_control={"type": "ephemeral"})
"""
    [diag] = check(code)
    assert diag.severity == "medium"
    assert "once per session" in diag.message


def test_one_finding_per_source_even_when_it_reaches_two_sinks() -> None:
    code = HEADER + """
def run(q):
    s = f"Now {time.time()}"
    client.messages.create(model="m", max_tokens=1, system=s, messages=[])
    client.messages.stream(model="m", max_tokens=1, tools=[{"name": "x", "description": s, "input_schema": {}}], messages=[])
"""
    [diag] = check(code)
    assert diag.segment == "tools"
    assert sorted({r.location.row for r in diag.related}) == [15, 16]


def test_two_sources_of_one_rule_on_a_line_are_one_finding_naming_both() -> None:
    [finding] = check(
        HEADER
        + textwrap.dedent(
            """
            import getpass
            import socket

            def run(messages):
                context = f"Running as {getpass.getuser()} on {socket.gethostname()}. " + "Rules. " * 60
                return client.messages.create(model="m", max_tokens=1, system=context, messages=messages)
            """
        )
    )
    assert finding.code == "CL103" and "`getpass.getuser()`" in finding.message.split(";")[0]
    assert finding.message.endswith("; the same goes for `socket.gethostname()` on this line")


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from agents import Agent", 'Agent(name="helper", instructions=system, tools=[])'),
        ("from crewai import Agent", 'Agent(role="Researcher", goal="Find facts", backstory=system)'),
        ("from autogen_agentchat.agents import AssistantAgent", 'AssistantAgent("assistant", model_client=None, system_message=system)'),
        ("import autogen", 'autogen.AssistantAgent("assistant", system_message=system, llm_config={})'),
        ("from smolagents import CodeAgent", "CodeAgent([], model=None, instructions=system)"),
        ("from llama_index.core.agent.workflow import FunctionAgent", "FunctionAgent(tools=[], llm=None, system_prompt=system)"),
        ("from haystack.dataclasses import ChatMessage", "ChatMessage.from_system(system)"),
        ("from google.genai import types", "types.GenerateContentConfig(system_instruction=system)"),
        ("import google.generativeai as genai", 'genai.GenerativeModel("gemini-2.5-flash", system_instruction=system)'),
    ],
)
def test_agent_frameworks_system_text_is_a_sink(imports: str, call: str) -> None:
    snippet = f"""
        {imports}

        def build():
            system = f"Today is {{datetime.now()}}. You are careful."
            return {call}
    """
    [finding] = check(HEADER + textwrap.dedent(snippet))
    assert finding.code == "CL101" and "cached system prompt" in finding.message
    stable = snippet.replace("{datetime.now()}", "Monday")
    assert check(HEADER + textwrap.dedent(stable)) == []


def test_cost_is_stated_in_the_prices_of_the_provider_the_request_goes_to() -> None:
    code = HEADER + """
from openai import OpenAI
oai = OpenAI()

def run(q):
    client.messages.create(model="m", max_tokens=1, system=f"{uuid.uuid4()}", messages=[])
    oai.chat.completions.create(model="gpt-5", messages=[{"role": "system", "content": f"{uuid.uuid4()}"}, {"role": "user", "content": q}])
"""
    anthropic_finding, openai_finding = sorted(check(code), key=lambda d: d.location.row)
    assert "at 1.25x" in anthropic_finding.message and "at 0.1x" in anthropic_finding.message
    # OpenAI charges no write premium before GPT-5.6 and reads at 0.1x-0.5x.
    assert "at 1x-1.25x" in openai_finding.message and "at 0.1x-0.5x" in openai_finding.message


def test_pydantic_ai_system_prompt_is_fixed_per_conversation_unless_dynamic() -> None:
    code = HEADER + """
import pydantic_ai
agent = pydantic_ai.Agent("anthropic:claude-sonnet-4-5")

@agent.system_prompt
def kept() -> str:
    return f"Now {datetime.now():%H:%M}."

@agent.system_prompt(dynamic=True)
def rerun() -> str:
    return f"Now {datetime.now():%H:%M}."
"""
    kept, rerun = sorted(check(code), key=lambda d: d.location.row)
    assert "computed once per session" in kept.message and kept.severity == "medium"
    assert "computed once per session" not in rerun.message and rerun.severity == "high"


@pytest.mark.parametrize(
    ("call", "severity"),
    [
        ('client.messages.create(model="m", max_tokens=1, system=f"Now {datetime.now()}", messages=[])', "low"),
        ('client.messages.create(model="m", max_tokens=1, system=[{"type": "text", "text": f"Now {datetime.now()}", "cache_control": {"type": "ephemeral"}}], messages=[])', "high"),
        ('client.messages.create(model="m", max_tokens=1, system=f"Now {datetime.now()}", messages=[], **options)', "high"),
        # A `**` splat into something else (a tool dispatch) brings no breakpoint into the request.
        ('TOOLS["search"](**options) or client.messages.create(model="m", max_tokens=1, system=f"Now {datetime.now()}", messages=[])', "low"),
        # ... but one handed to a forwarder together with the request does, as in the direct call.
        ('asyncio.to_thread(client.messages.create, model="m", max_tokens=1, system=f"Now {datetime.now()}", messages=[], **options)', "high"),
        ('OpenAI().chat.completions.create(model="m", messages=[{"role": "system", "content": f"Now {datetime.now()}"}])', "high"),
    ],
)
def test_anthropic_request_that_nothing_caches_yet_is_low_and_says_so(call: str, severity: str) -> None:
    # Anthropic and Bedrock cache only up to a breakpoint; OpenAI caches on its own.
    code = HEADER + f"""
import asyncio
from openai import OpenAI
# The cache_control keyword in a comment is not a breakpoint.
def run(options):
    {call}
"""
    [diag] = [d for d in check(code) if d.code == "CL101"]
    assert diag.severity == severity
    assert ("costs nothing" in diag.message) is (severity == "low")



def test_a_loop_variable_that_picks_the_history_picks_the_conversation() -> None:
    """`WORKERS[worker]` as the system prompt beside `histories[worker]`: each worker's requests
    share their prefix. The same system prompt beside one shared history changes every turn."""
    code = HEADER + """
WORKERS = {"sql": "You write SQL." * 400, "prose": "You write summaries." * 400}

def orchestrate(tasks):
    histories = {name: [] for name in WORKERS}
    for worker, task in tasks:
        hist = histories[worker]
        hist.append({"role": "user", "content": task})
        r = client.messages.create(model="m", max_tokens=1, system=[{"type": "text", "text": WORKERS[worker], "cache_control": {"type": "ephemeral"}}], messages=hist)
        hist.append({"role": "assistant", "content": r.content[0].text})

def shared(tasks):
    history = []
    for worker, task in tasks:
        history.append({"role": "user", "content": task})
        r = client.messages.create(model="m", max_tokens=1, system=[{"type": "text", "text": WORKERS[worker], "cache_control": {"type": "ephemeral"}}], messages=history)
        history.append({"role": "assistant", "content": r.content[0].text})
"""
    rows = sorted({d.location.row for d in check(code) if d.code in ("CL302", "CL401")})
    shared_start = code.splitlines().index("def shared(tasks):") + 1
    assert rows and all(row > shared_start for row in rows)


@pytest.mark.parametrize("module", ["langchain_core.messages", "langchain.messages", "langchain.schema"])
def test_langchain_system_message_under_each_import_path(module: str) -> None:
    """LangChain 1.x moved the message classes to `langchain.messages`; 0.x had them in
    `langchain_core.messages` and `langchain.schema`."""
    code = f"""
import os
from {module} import SystemMessage

def prompt():
    return SystemMessage(content=f"Working in {{os.getcwd()}}")
"""
    [diag] = check(code)
    assert diag.code == "CL103" and diag.segment == "system"


@pytest.mark.parametrize(("where", "scope"), [("__init__", "session"), ("ask", "")])
def test_an_agent_made_in_init_keeps_its_prompt_for_the_object(where: str, scope: str) -> None:
    """A prompt built by a helper and handed to an agent made in `__init__` is built once per
    object (one step lower); made per question, it changes with the clock."""
    code = HEADER + f"""
from langgraph.prebuilt import create_react_agent

def build_prompt():
    return "Today is " + datetime.now().strftime("%Y-%m-%d") + ". " + "Rules. " * 400

class Assistant:
    def {where}(self, model, tools):
        self.graph = create_react_agent(model=model, tools=tools, prompt=build_prompt())
"""
    [diag] = check(code)
    assert diag.code == "CL101"
    assert diag.severity == ("info" if scope else "low")
    assert ("computed once per session" in diag.message) == bool(scope)


@pytest.mark.parametrize("called_inside", [False, True])
def test_request_in_a_closure_a_factory_returns(called_inside: bool) -> None:
    """`create_llm()` returns `call_llm`, which makes the request: the closure runs later, called
    by whoever holds it, so it is analysed on its own (once, also when the factory calls it too)."""
    warm_up = "    call_llm('hello')\n" if called_inside else ""
    code = HEADER + f"""
def create_llm(model):
    messages = []

    def call_llm(content):
        messages.append({{"role": "user", "content": content}})
        return client.messages.create(model=model, max_tokens=1, system=f"Now: {{datetime.now()}}", messages=messages)

{warm_up}    return call_llm
"""
    [diag] = check(code)
    assert diag.code == "CL101" and diag.segment == "system"


@pytest.mark.parametrize("made_where", ["handler", "main"])
def test_record_made_where_it_is_sent_is_made_per_call(made_where: str) -> None:
    """A dataclass record made in the function that sends it (`Message(text=...)` per message) holds
    a value made per call; an object made elsewhere and used by a request in its method keeps
    what it was given for its conversation (one step lower)."""
    code = HEADER + """
from dataclasses import dataclass

@dataclass(frozen=True)
class Message:
    role: str
    text: str

class Agent:
    def __init__(self, system):
        self.system = system

    def ask(self, q):
        return client.messages.create(model="m", max_tokens=1, system=self.system, messages=[{"role": "user", "content": q}], cache_control={"type": "ephemeral"})

def on_message(q):
    note = Message("system", "Today is " + datetime.now().strftime("%Y-%m-%d"))
    return client.messages.create(model="m", max_tokens=1, system=note.text, messages=[{"role": "user", "content": q}], cache_control={"type": "ephemeral"})

def main():
    agent = Agent("Today is " + datetime.now().strftime("%Y-%m-%d"))
    while True:
        agent.ask(input())
"""
    row = {"handler": 28, "main": 32}[made_where]
    [diag] = [d for d in check(code) if d.location.row == row]
    assert diag.code == "CL101"
    per_session = made_where == "main"
    assert diag.severity == ("info" if per_session else "low")
    assert ("computed once per session" in diag.message) == per_session


@pytest.mark.parametrize(("instructions", "expected"), [('"Be terse."', []), ('f"Be terse. Now: {datetime.now()}"', [("CL101", "system")])])
def test_params_filtered_by_a_dict_comprehension_keep_their_keys(instructions: str, expected: list) -> None:
    """crewAI builds the request's params, drops its internal keys with `{k: v for k, v in
    params.items() if k not in INTERNAL}` and sends `responses.create(**params)` from another
    method: each key keeps what it held, so `previous_response_id` (server-side chaining) is not
    the system prompt, and a clock in `instructions` still is."""
    code = HEADER + f"""
from openai import OpenAI
oai = OpenAI()
INTERNAL = {{"callbacks", "api_key"}}

class Chat:
    def reset(self):
        self._last_response_id = None

    def send(self, messages: list):
        params = self._prepare(messages)
        response = self._handle(params)
        self._last_response_id = response.id
        return response

    def _prepare(self, messages: list) -> dict:
        params = {{"model": "gpt-5", "input": messages, "instructions": {instructions}}}
        if self._last_response_id:
            params["previous_response_id"] = self._last_response_id
        return {{k: v for k, v in params.items() if k not in INTERNAL}}

    def _handle(self, params: dict):
        return oai.responses.create(**params)
"""
    assert [(d.code, d.segment) for d in check(code)] == expected


def test_request_made_by_the_iterable_of_a_for_is_made_once_per_run() -> None:
    """`for event in client.messages.create(..., stream=True)`: the request is the loop's
    iterable, made once each time the function runs; a clock read just before it is read per call,
    not once for a conversation."""
    code = HEADER + """
def reply(q):
    now = datetime.now().isoformat()
    for event in client.messages.create(model="m", max_tokens=1, stream=True, system=f"Now {now}", messages=[{"role": "user", "content": q}], cache_control={"type": "ephemeral"}):
        print(event)
"""
    [diag] = [d for d in check(code) if d.code == "CL101"]
    assert diag.severity == "high"
    assert "computed once per session" not in diag.message
