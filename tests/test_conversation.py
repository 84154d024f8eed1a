"""CL5xx: conversation dynamics, run directly on parsed snippets and on the catalogue examples."""

from __future__ import annotations

import textwrap

import pytest

from tests.helpers import expected
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


def test_marking_the_last_messages_is_not_a_window() -> None:
    # The recommended tail breakpoints: a loop over the last two messages that only marks them.
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def run(task, act):
            messages = [{"role": "user", "content": [{"type": "text", "text": task}]}]
            while True:
                for m in messages:
                    for b in m["content"]:
                        b.pop("cache_control", None)
                for m in messages[-2:]:
                    m["content"][-1]["cache_control"] = {"type": "ephemeral"}
                resp = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, messages=messages)
                messages.append({"role": "assistant", "content": resp.content})
                messages.append({"role": "user", "content": [{"type": "text", "text": act(resp)}]})
        """
    )
    assert found == []


def test_model_routed_per_turn_inside_the_call() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5"]

        def pick_model(text):
            return "claude-sonnet-4-5" if len(text) > 400 else "claude-haiku-4-5"

        def by_length(ask):
            messages = []
            while True:
                user = ask()
                messages.append({"role": "user", "content": user})
                r = client.messages.create(model=pick_model(user), max_tokens=512, messages=messages)
                messages.append({"role": "assistant", "content": r.content[0].text})

        def alternating(ask):
            messages = []
            for step in range(10):
                messages.append({"role": "user", "content": ask()})
                r = client.messages.create(model=MODELS[step % 2], max_tokens=512, messages=messages)
                messages.append({"role": "assistant", "content": r.content[0].text})

        def from_settings(ask, settings):
            messages = []
            while True:
                messages.append({"role": "user", "content": ask()})
                r = client.messages.create(model=settings.model_for("chat"), max_tokens=512, messages=messages)
                messages.append({"role": "assistant", "content": r.content[0].text})
        """
    )
    assert found == [(14, "CL505"), (21, "CL505")]


def test_tools_ranked_per_turn_by_a_function() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        ALL_TOOLS = [{"name": n, "description": n, "input_schema": {}} for n in ("a", "b", "c")]

        def top_tools(query, k=2):
            return sorted(ALL_TOOLS, key=lambda t: -len(set(t["description"]) & set(query)))[:k]

        def inline(ask):
            messages = []
            while True:
                user = ask()
                messages.append({"role": "user", "content": user})
                r = client.messages.create(model="m", max_tokens=1, tools=top_tools(user), messages=messages)
                messages.append({"role": "assistant", "content": r.content})

        def walrus(ask):
            messages = []
            while (user := ask()) is not None:
                messages.append({"role": "user", "content": user})
                tools = top_tools(user)
                r = client.messages.create(model="m", max_tokens=1, tools=tools, messages=messages)
                messages.append({"role": "assistant", "content": r.content})

        def fixed(ask):
            messages = []
            while (user := ask()) is not None:
                messages.append({"role": "user", "content": user})
                r = client.messages.create(model="m", max_tokens=1, tools=top_tools("everything"), messages=messages)
                messages.append({"role": "assistant", "content": r.content})
        """
    )
    assert found == [(14, "CL503"), (21, "CL503")]


def test_fix_up_beside_a_chunked_trim_is_not_a_sliding_window() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def chat(read):
            messages = []
            while (text := read()) is not None:
                messages.append({"role": "user", "content": text})
                if len(messages) > 80:
                    messages = messages[-40:]
                    if messages[0]["role"] == "assistant":
                        messages = messages[1:]
                r = client.messages.create(model="m", max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": r.content[0].text})

        def chat_del(read):
            messages = []
            while (text := read()) is not None:
                messages.append({"role": "user", "content": text})
                if len(messages) > 80:
                    del messages[:40]
                    while messages and messages[0]["role"] != "user":
                        messages.pop(0)
                r = client.messages.create(model="m", max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": r.content[0].text})

        def sliding(read):
            messages = []
            while (text := read()) is not None:
                messages.append({"role": "user", "content": text})
                if len(messages) > 80:
                    messages = messages[1:]
                    if messages[0]["role"] == "assistant":
                        messages = messages[1:]
                r = client.messages.create(model="m", max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": r.content[0].text})
        """
    )
    assert found == [(32, "CL501"), (34, "CL501")]


def test_tool_results_cleared_only_past_a_token_threshold() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        CLEAR_AT = 120_000

        def batched(task, act):
            messages = [{"role": "user", "content": task}]
            while True:
                resp = client.messages.create(model="m", max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": resp.content})
                messages.append({"role": "user", "content": act(resp)})
                if resp.usage.input_tokens > CLEAR_AT:
                    for msg in messages[:-6]:
                        for block in msg["content"]:
                            if block.get("type") == "tool_result":
                                block["content"] = "[cleared]"

        def every_turn(task, act, step):
            messages = [{"role": "user", "content": task}]
            while True:
                resp = client.messages.create(model="m", max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": resp.content})
                messages.append({"role": "user", "content": act(resp)})
                if step > 1:
                    for msg in messages[:-6]:
                        for block in msg["content"]:
                            if block.get("type") == "tool_result":
                                block["content"] = "[cleared]"
        """
    )
    assert [code for _, code in found] == ["CL502"] and found[0][0] > 20


def test_history_rules_say_when_no_breakpoint_reaches_the_messages() -> None:
    code = """
        import anthropic
        client = anthropic.Anthropic()
        SYSTEM = [{"type": "text", "text": open("s.md").read(), "cache_control": {"type": "ephemeral"}}]

        def system_only():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                r = client.messages.create(model="m", max_tokens=1, system=SYSTEM, messages=history[-10:])
                history.append({"role": "assistant", "content": r.content[0].text})

        def automatic():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                r = client.messages.create(model="m", max_tokens=1, system=SYSTEM, messages=history[-10:], cache_control={"type": "ephemeral"})
                history.append({"role": "assistant", "content": r.content[0].text})
        """
    found = {d.location.row: d for d in structural(code)}
    assert sorted(found) == [10, 17]
    assert found[10].severity == "low" and "no cache breakpoint reaches the messages of this anthropic request yet" in found[10].message
    assert found[17].severity == "high" and "no cache breakpoint" not in found[17].message


def test_history_re_rendered_with_the_step_counter() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def comprehension(question, tool, max_steps=15):
            events = [("question", question)]
            for step in range(max_steps):
                messages = [{"role": "user", "content": f"[step {step + 1}/{max_steps}] {kind}: {text}"} for kind, text in events]
                resp = client.messages.create(model="m", max_tokens=1, messages=messages, cache_control={"type": "ephemeral"})
                events.append(("observation", tool(resp)))

        def loop(question, tool, max_steps=15):
            events = [("question", question)]
            for step in range(max_steps):
                messages = []
                for i, (kind, text) in enumerate(events):
                    role = "assistant" if kind == "thought" else "user"
                    messages.append({"role": role, "content": f"Step {i} of {step + 1} | {kind}: {text}"})
                resp = client.messages.create(model="m", max_tokens=1, messages=messages, cache_control={"type": "ephemeral"})
                events.append(("observation", tool(resp)))

        def stable(question, tool, max_steps=15):
            events = [("question", question)]
            for step in range(max_steps):
                messages = []
                for i, (kind, text) in enumerate(events):
                    role = "assistant" if kind == "thought" else "user"
                    messages.append({"role": role, "content": f"Step {i} | {kind}: {text}"})
                resp = client.messages.create(model="m", max_tokens=1, messages=messages, cache_control={"type": "ephemeral"})
                events.append(("observation", tool(resp)))
        """
    )
    assert found == [(8, "CL502"), (16, "CL502")]


def test_handler_whose_history_outlives_the_call() -> None:
    found = structural_found(
        """
        from collections import defaultdict
        from openai import OpenAI
        client = OpenAI()
        HISTORY = []
        histories = defaultdict(list)

        def on_message(text):
            HISTORY.append({"role": "user", "content": text})
            r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "Be brief."}, *HISTORY[-12:]])
            HISTORY.append({"role": "assistant", "content": r.choices[0].message.content})

        def on_channel_message(channel, text):
            history = histories[channel]
            history.append({"role": "user", "content": text})
            r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "Be brief."}, *history[-12:]])
            history.append({"role": "assistant", "content": r.choices[0].message.content})

        def one_shot(texts):
            batch = []
            for t in texts:
                batch.append({"role": "user", "content": t})
            return client.chat.completions.create(model="gpt-4o", messages=batch[-12:])
        """
    )
    assert found == [(10, "CL501"), (16, "CL501")]


def test_per_turn_choices_made_around_a_tool_use_loop() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        TOOLS = [{"name": "a", "description": "A", "input_schema": {}}, {"name": "b", "description": "B", "input_schema": {}}]

        class Agent:
            def __init__(self, router):
                self.router = router
                self.history = []

            def chat(self, text):
                self.history.append({"role": "user", "content": text})
                self.history = self.history[-20:]
                model = self.router.pick(text)
                tools = [t for t in TOOLS if t["name"] in text]
                while True:
                    r = client.messages.create(model=model, max_tokens=1, tools=tools, messages=self.history, cache_control={"type": "ephemeral"})
                    self.history.append({"role": "assistant", "content": r.content})
                    if r.stop_reason != "tool_use":
                        return r
                    self.history.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": "x", "content": "ok"}]})

        def run_task(task, router):
            messages = [{"role": "user", "content": task}]
            model = router.pick(task)
            while True:
                r = client.messages.create(model=model, max_tokens=1, messages=messages)
                messages.append({"role": "assistant", "content": r.content})
                if r.stop_reason != "tool_use":
                    return r
        """
    )
    assert found == [(13, "CL501"), (14, "CL505"), (15, "CL503")]


def test_conversation_through_a_wrapper_and_a_window_helper() -> None:
    found = structural_found(
        """
        from openai import OpenAI
        client = OpenAI()

        def send(*, items, tools):
            return client.responses.create(model="gpt-5", instructions="x", input=items, tools=tools)

        def recent(history):
            return history[-16:]

        def through_wrapper(questions, tools):
            history = []
            for q in questions:
                history.append({"role": "user", "content": q})
                r = send(items=history[-16:], tools=[t for t in tools if t["name"] in q])
                history.extend(r.output)

        def through_helper(questions):
            history = []
            for q in questions:
                history.append({"role": "user", "content": q})
                r = client.responses.create(model="gpt-5", instructions="x", input=recent(history))
                history.extend(r.output)

        def whole_history(questions):
            history = []
            for q in questions:
                history.append({"role": "user", "content": q})
                r = send(items=history, tools=[])
                history.extend(r.output)
        """
    )
    assert found == [(15, "CL501"), (15, "CL503"), (22, "CL501")]


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


def test_cache_key_from_a_helper_or_a_request_header() -> None:
    found = structural_found(
        """
        import uuid
        from openai import OpenAI
        client = OpenAI()

        def new_id():
            return str(uuid.uuid4())

        def tenant_key(tenant):
            return f"tenant-{tenant}"

        def minted(q):
            return client.responses.create(model="gpt-5-mini", input=q, prompt_cache_key=new_id())

        def header(request, q):
            return client.responses.create(model="gpt-5-mini", input=q, prompt_cache_key=request.headers["x-request-id"])

        def stable(tenant, q):
            return client.responses.create(model="gpt-5-mini", input=q, prompt_cache_key=tenant_key(tenant))
        """
    )
    assert found == [(13, "CL506"), (16, "CL506")]


# CL508 ------------------------------------------------------------------
FAN_OUT = """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    import anthropic
    from openai import AsyncOpenAI

    client = anthropic.AsyncAnthropic()
    oai = AsyncOpenAI()
    POLICY = open("policy.md").read()
    LONG_POLICY = "Refunds within 30 days; cite the section of the policy you rely on. " * 120

    async def classify(ticket):
        return await client.messages.create(
            model="claude-sonnet-4-5", max_tokens=20,
            system=[{{"type": "text", "text": POLICY, "cache_control": {{"type": "ephemeral"}}}}],
            messages=[{{"role": "user", "content": ticket}}],
        )

    def classify_now(ticket, model="claude-sonnet-4-5"):
        return anthropic.Anthropic().messages.create(
            model=model, max_tokens=20,
            system=[{{"type": "text", "text": POLICY, "cache_control": {{"type": "ephemeral"}}}}],
            messages=[{{"role": "user", "content": ticket}}],
        )

    {body}
    """


def fan_out(body: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(found, expected) CL508 findings of `body` placed in FAN_OUT; `# expect: CL508` marks the expected lines."""
    code = FAN_OUT.format(body=textwrap.indent(textwrap.dedent(body), "    ").strip())
    return [f for f in structural_found(code) if f[1] == "CL508"], expected(code)


def test_gather_over_a_shared_cached_system_prompt_names_the_cost() -> None:
    [diag] = [d for d in structural(FAN_OUT.format(body="async def run(ts):\n        return await asyncio.gather(*(classify(t) for t in ts))")) if d.code == "CL508"]
    assert diag.segment == "system" and diag.severity == "medium"
    assert "1.25x" in diag.message and "0.1x" in diag.message and "then fan out the rest" in diag.message
    assert diag.related[0].location.row == 13  # the request inside `classify`


@pytest.mark.parametrize(
    "body",
    [
        # TaskGroup with a loop
        """
        async def run(ts):
            async with asyncio.TaskGroup() as tg:
                for t in ts:
                    tg.create_task(classify(t))  # expect: CL508
        """,
        # create_task comprehension, awaited with wait
        """
        async def run(ts):
            tasks = [asyncio.create_task(classify(t)) for t in ts]  # expect: CL508
            await asyncio.wait(tasks)
        """,
        # coroutines collected in a loop, then gathered
        """
        async def run(ts):
            coros = []
            for t in ts:
                coros.append(classify(t.body))
            return await asyncio.gather(*coros, return_exceptions=True)  # expect: CL508
        """,
        # explicit branches of one function
        """
        async def run(a, b):
            return await asyncio.gather(classify(a), classify(b))  # expect: CL508
        """,
        # builtin map and as_completed
        """
        async def run(ts):
            for done in asyncio.as_completed(map(classify, ts)):  # expect: CL508
                print(await done)
        """,
        # a wrapper that calls the request function
        """
        async def handle(ticket):
            label = await classify(ticket.body)
            return ticket.id, label

        async def run(ts):
            return await asyncio.gather(*[handle(t) for t in ts])  # expect: CL508
        """,
        # OpenAI: a literal prefix above 1024 tokens is cached automatically
        """
        async def run(ts):
            return await asyncio.gather(*(oai.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": LONG_POLICY}, {"role": "user", "content": t}]) for t in ts))  # expect: CL508
        """,
        # OpenAI: a runtime-loaded prefix in a call that relies on the cache (prompt_cache_key)
        """
        async def run(ts):
            return await asyncio.gather(*(oai.responses.create(model="gpt-4.1", instructions=POLICY, input=t, prompt_cache_key="triage") for t in ts))  # expect: CL508
        """,
    ],
)
def test_fan_outs_found(body: str) -> None:
    found, want = fan_out(body)
    assert found == want and want


@pytest.mark.parametrize(
    "body",
    [
        # the first call is awaited alone, then the rest fan out
        """
        async def run(ts):
            first = await classify(ts[0])
            return [first, *await asyncio.gather(*(classify(t) for t in ts[1:]))]
        """,
        # an explicit pre-warm
        """
        async def run(ts):
            await warm_policy_cache()
            return await asyncio.gather(*(classify(t) for t in ts))
        """,
        # each task has its own system prompt
        """
        async def run(personas, q):
            return await asyncio.gather(*(client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=[{"type": "text", "text": p.prompt, "cache_control": {"type": "ephemeral"}}], messages=[{"role": "user", "content": q}]) for p in personas))
        """,
        # no breakpoint on Anthropic: nothing is written, so nothing is lost
        """
        async def run(ts):
            return await asyncio.gather(*(client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=POLICY, messages=[{"role": "user", "content": t}]) for t in ts))
        """,
        # the breakpoint is on the per-task question only
        """
        async def run(ts):
            return await asyncio.gather(*(client.messages.create(model="claude-sonnet-4-5", max_tokens=9, system=POLICY, messages=[{"role": "user", "content": [{"type": "text", "text": t, "cache_control": {"type": "ephemeral"}}]}]) for t in ts))
        """,
        # each task on its own model
        """
        async def run(models, q):
            return await asyncio.gather(*(client.messages.create(model=m, max_tokens=9, system=[{"type": "text", "text": POLICY, "cache_control": {"type": "ephemeral"}}], messages=[{"role": "user", "content": q}]) for m in models))
        """,
        # OpenAI: a short literal prompt is below the 1024-token minimum
        """
        async def run(ts):
            return await asyncio.gather(*(oai.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": t}]) for t in ts))
        """,
        # OpenAI: runtime-loaded prefix, no sign the call relies on the cache
        """
        async def run(ts):
            return await asyncio.gather(*(oai.responses.create(model="gpt-4.1", instructions=POLICY, input=t) for t in ts))
        """,
        # OpenAI: one cache key per task routes the tasks apart
        """
        async def run(users):
            return await asyncio.gather(*(oai.responses.create(model="gpt-4.1", instructions=LONG_POLICY, input=u.q, prompt_cache_key=u.id) for u in users))
        """,
        # a one-worker pool runs the tasks one after another
        """
        def run(ts):
            with ThreadPoolExecutor(max_workers=1) as pool:
                return list(pool.map(classify_now, ts))
        """,
        # the pool's element goes to the model parameter: every task has its own cache
        """
        def run(models):
            with ThreadPoolExecutor(max_workers=4) as pool:
                return list(pool.map(lambda m: classify_now("same question", m), models))
        """,
        # a single task
        """
        async def run():
            return await asyncio.gather(*(classify(t) for t in ["only one"]))
        """,
        # sequential awaits are not a fan-out
        """
        async def run(ts):
            return [await classify(t) for t in ts]
        """,
    ],
)
def test_fan_out_look_alikes(body: str) -> None:
    assert fan_out(body) == ([], [])


def test_thread_pool_map_lambda_and_submit() -> None:
    found, want = fan_out(
        """
        def run(ts):
            with ThreadPoolExecutor(max_workers=4) as pool:
                a = list(pool.map(lambda t: classify_now(t), ts))  # expect: CL508
                b = [pool.submit(classify_now, t) for t in ts]  # expect: CL508
            return a, b
        """
    )
    assert found == want and len(want) == 2


@pytest.mark.parametrize(
    ("edit", "rewrites"),
    [
        ('message["content"] = [b for b in message["content"] if "cachePoint" not in b]', False),
        ('message["content"] = [{k: v for k, v in b.items() if k != "cache_control"} for b in message["content"]]', False),
        ('message["content"] = [b for b in message["content"] if b.get("type") != "toolResult"]', True),
    ],
)
def test_old_breakpoint_markers_removed_each_turn_are_not_a_rewrite(edit: str, rewrites: bool) -> None:
    # Markers are not part of the cached bytes: moving the breakpoint to the newest message is the fix.
    found = structural_found(
        f"""
        import boto3
        bedrock = boto3.client("bedrock-runtime")
        SYSTEM = [{{"text": open("planner.md").read()}}, {{"cachePoint": {{"type": "default"}}}}]

        def chat():
            messages = []
            while True:
                for message in messages:
                    {edit}
                messages.append({{"role": "user", "content": [{{"text": input("> ")}}, {{"cachePoint": {{"type": "default"}}}}]}})
                resp = bedrock.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", system=SYSTEM, messages=messages)
                messages.append(resp["output"]["message"])
        """
    )
    assert ((10, "CL502") in found) is rewrites



PRUNE_LOOP = """
import anthropic
client = anthropic.Anthropic()
PRUNE_AT = 150_000

{helper}

def run(task):
    messages = [{{"role": "user", "content": task}}]
    while True:
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages, cache_control={{"type": "ephemeral"}})
        messages.append({{"role": "assistant", "content": reply.content}})
        {call}
"""
EDIT = """
    for message in messages[:-10]:
        for block in message["content"]:
            block["content"] = "[pruned]"
"""


@pytest.mark.parametrize(
    ("helper", "call", "reported"),
    [
        # Guarded where it is called.
        ("def prune(messages):" + EDIT, "if reply.usage.input_tokens > PRUNE_AT: prune(messages)", False),
        # Guarded inside the helper.
        ("def prune(messages, used):\n    if used > PRUNE_AT:" + EDIT.replace("\n    ", "\n        "), "prune(messages, reply.usage.input_tokens)", False),
        # An early return below the bound.
        ("def prune(messages, used):\n    if used < PRUNE_AT:\n        return" + EDIT, "prune(messages, reply.usage.input_tokens)", False),
        # Every turn.
        ("def prune(messages):" + EDIT, "prune(messages)", True),
        ("def prune(messages, used):\n    if used < 3:\n        return" + EDIT, "prune(messages, reply.usage.input_tokens)", True),
    ],
)
def test_pruning_helper_run_only_past_a_threshold_is_a_compaction_point(helper: str, call: str, reported: bool) -> None:
    found = structural_found(PRUNE_LOOP.format(helper=helper, call=call))
    assert any(code == "CL502" for _, code in found) is reported, found


def test_window_cost_is_stated_in_openai_prices() -> None:
    [diag] = structural(
        """
        from openai import OpenAI
        client = OpenAI()

        def run():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                reply = client.chat.completions.create(model="gpt-4.1", messages=history[-10:])
                history.append({"role": "assistant", "content": reply.choices[0].message.content})
        """
    )
    assert diag.code == "CL501" and "at 1x-1.25x" in diag.message and "1.25x each" not in diag.message.replace("1x-1.25x", "")


def test_litellm_history_window_is_a_sliding_window() -> None:
    found = structural_found(
        """
        import litellm

        def chat():
            history = []
            while True:
                history.append({"role": "user", "content": input("> ")})
                history = history[-16:]
                reply = litellm.completion(model="anthropic/claude-sonnet-4-5", messages=[{"role": "system", "content": "Be brief."}, *history])
                history.append({"role": "assistant", "content": reply.choices[0].message.content})
        """
    )
    assert (8, "CL501") in found


PILEUP = """
import anthropic
client = anthropic.Anthropic()

def repl():
    messages = []
    while True:
%s
        messages.append({"role": "user", "content": [{"type": "text", "text": input("> "), "cache_control": {"type": "ephemeral"}}]})
        reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=messages)
        messages.append({"role": "assistant", "content": reply.content})
"""


@pytest.mark.parametrize(
    ("before", "reported"),
    [
        ("        pass", True),
        # The previous breakpoint is taken off first: the recommended sliding breakpoint.
        ('        for m in messages:\n            for b in m["content"]:\n                b.pop("cache_control", None)', False),
        ('        if messages:\n            del messages[-2]["content"][-1]["cache_control"]', False),
    ],
)
def test_breakpoint_added_every_turn_and_never_removed(before: str, reported: bool) -> None:
    found = structural_found(PILEUP % before)
    assert any(code == "CL402" for _, code in found) is reported, found


def test_bedrock_cachepoint_added_every_turn() -> None:
    found = structural_found(
        """
        import boto3
        bedrock = boto3.client("bedrock-runtime")

        def chat():
            messages = []
            while True:
                messages.append({"role": "user", "content": [{"text": input("> ")}, {"cachePoint": {"type": "default"}}]})
                resp = bedrock.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=messages)
                messages.append(resp["output"]["message"])
        """
    )
    assert (8, "CL402") in found


@pytest.mark.parametrize("returned", ["[SYSTEM, *history[-16:]]", "[history[0], *history[-15:]]", "[SYSTEM] + history[-16:]"])
def test_window_cut_in_a_helper_among_other_parts(returned: str) -> None:
    found = structural_found(
        f"""
        from openai import OpenAI
        client = OpenAI()
        SYSTEM = {{"role": "system", "content": "Be brief."}}

        def window(history):
            return {returned}

        def main():
            history = []
            while True:
                history.append({{"role": "user", "content": input("> ")}})
                completion = client.chat.completions.create(model="gpt-4.1", messages=window(history))
                history.append({{"role": "assistant", "content": completion.choices[0].message.content}})
        """
    )
    assert (13, "CL501") in found


def test_openai_before_1_0_history_window() -> None:
    found = structural_found(
        """
        import openai

        class ChatGPT:
            def __init__(self):
                self.history = []

            def send_message(self, message):
                self.history.append({"role": "user", "content": message})
                completion = openai.ChatCompletion.create(model="gpt-4", messages=[{"role": "system", "content": "Hi."}, *self.history])
                self.history.append({"role": "assistant", "content": completion.choices[0].message.content})
                if len(self.history) > 20:
                    self.history.pop(0)
        """
    )
    assert (13, "CL501") in found


# A history kept per user or chat in a dict entry (`histories[user_id]`) is one conversation per key.
ENTRY_HEADER = """
from collections import defaultdict, deque
import anthropic
from openai import OpenAI

client = OpenAI()
claude = anthropic.Anthropic()
SYSTEM = "You are a helpful bot."
histories = {}
sessions = defaultdict(list)
"""


def entry_found(body: str) -> list[tuple[int, str]]:
    """Findings of `body` below ENTRY_HEADER, with rows counted from the body's first line."""
    offset = ENTRY_HEADER.count("\n")
    return [(row - offset, code) for row, code in structural_found(ENTRY_HEADER + textwrap.dedent(body))]


def test_a_dict_entry_history_trimmed_every_turn_slides() -> None:
    found = entry_found(
        """
        def handle(user_id, text):
            histories.setdefault(user_id, []).append({"role": "user", "content": text})
            if len(histories[user_id]) > 20:
                histories[user_id] = histories[user_id][-20:]
            r = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": SYSTEM}, *histories[user_id]])
            histories[user_id].append({"role": "assistant", "content": r.choices[0].message.content})
        """
    )
    assert found == [(5, "CL501")]


def test_a_dict_entry_history_trimmed_in_large_steps_or_only_grown_is_fine() -> None:
    found = entry_found(
        """
        def chunked(uid, text):
            histories.setdefault(uid, []).append({"role": "user", "content": text})
            if len(histories[uid]) > 60:
                histories[uid] = histories[uid][-20:]
            r = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": SYSTEM}, *histories[uid]])
            histories[uid].append({"role": "assistant", "content": r.choices[0].message.content})

        def append_only(uid, text):
            sessions[uid].append({"role": "user", "content": text})
            r = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": SYSTEM}] + sessions[uid])
            sessions[uid].append({"role": "assistant", "content": r.choices[0].message.content})
        """
    )
    assert found == []


def test_dict_entry_histories_popped_windowed_and_deleted_from_the_front() -> None:
    found = entry_found(
        """
        def pops(uid, text):
            sessions[uid].append({"role": "user", "content": text})
            if len(sessions[uid]) > 20:
                sessions[uid].pop(0)
            r = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": SYSTEM}] + sessions[uid])
            sessions[uid].append({"role": "assistant", "content": r.choices[0].message.content})

        def window(chat_id, text):
            sessions[str(chat_id)].append({"role": "user", "content": text})
            r = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": SYSTEM}, *sessions[str(chat_id)][-12:]])
            sessions[str(chat_id)].append({"role": "assistant", "content": r.choices[0].message.content})

        class Bot:
            def __init__(self):
                self.chats = {}

            def on_message(self, message):
                self.chats.setdefault(message.chat.id, []).append({"role": "user", "content": message.text})
                del self.chats[message.chat.id][:2]
                r = claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=self.chats[message.chat.id], cache_control={"type": "ephemeral"})
                self.chats[message.chat.id].append({"role": "assistant", "content": r.content})
        """
    )
    assert found == [(5, "CL501"), (11, "CL501"), (20, "CL501")]


def test_a_dict_of_maxlen_deques_sent_as_history() -> None:
    [diag] = structural(
        ENTRY_HEADER
        + textwrap.dedent(
            """
            buffers = defaultdict(lambda: deque(maxlen=30))

            async def on_message(channel_id, text):
                conv = buffers[channel_id]
                conv.append({"role": "user", "content": text})
                r = client.chat.completions.create(model="gpt-4.1", messages=list(conv))
                conv.append({"role": "assistant", "content": r.choices[0].message.content})
            """
        )
    )
    assert diag.code == "CL501" and "Every entry of `buffers` is a `deque` with `maxlen`" in diag.message
    assert diag.location.row == ENTRY_HEADER.count("\n") + 2


def test_a_dict_entry_history_rewritten_or_piling_up_breakpoints() -> None:
    found = entry_found(
        """
        def rewrite(uid, text, now):
            sessions[uid].append({"role": "user", "content": text})
            sessions[uid][0]["content"] = f"Context as of {now}"
            r = claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=sessions[uid], cache_control={"type": "ephemeral"})
            sessions[uid].append({"role": "assistant", "content": r.content})

        def pileup(uid, text):
            histories.setdefault(uid, []).append({"role": "user", "content": [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}]})
            r = claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=histories[uid])
            histories[uid].append({"role": "assistant", "content": r.content})
        """
    )
    assert found == [(4, "CL502"), (9, "CL402")]


def test_an_index_into_a_list_is_not_a_history_of_its_own() -> None:
    """Only entries of a dict are histories: `turns[i]` of a list, or a dict built inside the function, are not."""
    found = entry_found(
        """
        turns = [[], []]

        def handle(i, text):
            turns[i].append({"role": "user", "content": text})
            turns[i] = turns[i][-10:]
            r = client.chat.completions.create(model="gpt-4.1", messages=turns[i])
            turns[i].append({"role": "assistant", "content": r.choices[0].message.content})

        def local(uid, text):
            cache = {}
            cache[uid] = [{"role": "user", "content": text}]
            cache[uid] = cache[uid][-10:]
            return client.chat.completions.create(model="gpt-4.1", messages=cache[uid])
        """
    )
    assert found == []


def test_a_helper_sends_the_history_its_callers_loop_grows() -> None:
    """The request is in a helper called once per turn with the caller's growing history."""
    found = structural_found(
        """
        import anthropic
        from openai import OpenAI

        client = OpenAI()
        claude = anthropic.Anthropic()
        MAX_HISTORY = 30

        def trim_history(history):
            return history[-MAX_HISTORY:]

        def ask(prompt, history):
            r = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": "Hi"}] + trim_history(history) + [{"role": "user", "content": prompt}])
            return r.choices[0].message.content

        def send(history, model="claude-sonnet-4-5"):
            return claude.messages.create(model=model, max_tokens=512, messages=history, cache_control={"type": "ephemeral"})

        def main():
            history = []
            print(send([{"role": "user", "content": "hello"}]).content)
            while True:
                q = input()
                a = ask(q, history)
                history.append({"role": "user", "content": q})
                history.append({"role": "assistant", "content": a})
                send(history)

        class Agent:
            def __init__(self):
                self.history = []

            def _call(self, messages):
                return client.chat.completions.create(model="gpt-4.1", messages=messages[-8:])

            def step(self, text):
                self.history.append({"role": "user", "content": text})
                r = self._call(self.history)
                self.history.append({"role": "assistant", "content": r.choices[0].message.content})
        """
    )
    assert found == [(13, "CL501"), (34, "CL501")]


def test_a_fallback_loop_in_a_helper_called_every_turn() -> None:
    found = structural_found(
        """
        import boto3
        bedrock = boto3.client("bedrock-runtime")
        MODELS = ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0"]

        def converse_with_fallback(messages):
            for model_id in MODELS:
                try:
                    return bedrock.converse(modelId=model_id, messages=messages)
                except Exception:
                    continue

        def chat():
            messages = []
            while True:
                messages.append({"role": "user", "content": [{"text": input()}]})
                messages.append(converse_with_fallback(messages)["output"]["message"])
        """
    )
    assert found == [(7, "CL505")]


def test_a_helper_called_with_a_fresh_list_is_not_a_turn() -> None:
    found = structural_found(
        """
        from openai import OpenAI
        client = OpenAI()

        def ask(history):
            return client.chat.completions.create(model="gpt-4.1", messages=history[-8:])

        def main(questions):
            for q in questions:
                print(ask([{"role": "user", "content": q}]))
        """
    )
    assert found == []


def test_requests_made_through_forwarders_belong_to_their_turn() -> None:
    """`asyncio.to_thread(client.messages.create, ...)`, a lambda given to `run_in_executor`, and a
    module function handed to `to_thread` with the history: each is the request of its turn."""
    found = structural_found(
        """
        import asyncio
        import anthropic
        from openai import OpenAI

        claude = anthropic.Anthropic()
        client = OpenAI()
        histories = {}

        async def on_message(uid, text):
            h = histories.setdefault(uid, [])
            h.append({"role": "user", "content": text})
            del h[:1]
            r = await asyncio.to_thread(claude.messages.create, model="claude-sonnet-4-5", max_tokens=512, messages=h, cache_control={"type": "ephemeral"})
            h.append({"role": "assistant", "content": r.content})

        async def on_message_executor(uid, text):
            h = histories.setdefault(uid, [])
            h.append({"role": "user", "content": text})
            loop = asyncio.get_running_loop()
            r = await loop.run_in_executor(None, lambda: client.chat.completions.create(model="gpt-4.1", messages=h[-10:]))
            h.append({"role": "assistant", "content": r.choices[0].message.content})

        async def chat():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                r = await asyncio.to_thread(send, history)
                history.append({"role": "assistant", "content": r.content})

        def send(history):
            return claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=history[-6:], cache_control={"type": "ephemeral"})
        """
    )
    assert found == [(13, "CL501"), (21, "CL501"), (32, "CL501")]


def test_old_tool_results_replaced_through_a_collected_list() -> None:
    """`results = [p for m in messages ... for p in m["content"]]` holds the blocks themselves:
    replacing all but the newest with a placeholder rewrites old messages every turn."""
    found = structural_found(
        """
        from anthropic import Anthropic
        client = Anthropic()
        KEEP_RECENT = 3

        def micro_compact(messages):
            results = [p for m in messages if m["role"] == "user" and isinstance(m["content"], list) for p in m["content"] if p.get("type") == "tool_result"]
            for part in results[:-KEEP_RECENT]:
                part["content"] = "[Previous: used tool]"
            newest = [m for m in messages[-1:]]
            for m in newest:
                m["content"] = m["content"]
            for part in results[-2:]:
                part["content"] = part["content"]
            return messages

        def agent_loop(messages, tools, run):
            while True:
                micro_compact(messages)
                r = client.messages.create(model="claude-sonnet-4-5", max_tokens=8000, tools=tools, messages=messages, cache_control={"type": "ephemeral"})
                messages.append({"role": "assistant", "content": r.content})
                messages.append({"role": "user", "content": run(r.content)})
        """
    )
    assert found == [(9, "CL502")]


def test_old_tool_results_collected_by_a_loop_and_replaced() -> None:
    found = structural_found(
        """
        from anthropic import Anthropic
        client = Anthropic()

        def micro_compact(messages):
            tool_results = []
            for i, msg in enumerate(messages):
                if msg["role"] == "user" and isinstance(msg.get("content"), list):
                    for j, part in enumerate(msg["content"]):
                        if part.get("type") == "tool_result":
                            tool_results.append((i, j, part))
            if len(tool_results) <= 3:
                return messages
            to_clear = tool_results[:-3]
            for _, _, result in to_clear:
                result["content"] = "[Previous: used a tool]"
            sizes = []
            for msg in messages:
                sizes.append(len(str(msg)))
            for size in sizes:
                size = 0
            return messages

        def agent_loop(messages, run):
            while True:
                micro_compact(messages)
                r = client.messages.create(model="claude-sonnet-4-5", max_tokens=8000, messages=messages, cache_control={"type": "ephemeral"})
                messages.append({"role": "assistant", "content": r.content})
                messages.append({"role": "user", "content": run(r.content)})
        """
    )
    assert found == [(16, "CL502")]


def test_a_history_kept_and_cut_by_an_object_of_a_module_class() -> None:
    """`memory.get()` / `window.turns` / `history.messages` sent elsewhere; the class cuts it itself."""
    found = structural_found(
        """
        from collections import deque
        import anthropic
        from openai import OpenAI

        client = OpenAI()
        claude = anthropic.Anthropic()

        class ConversationMemory:
            def __init__(self, max_messages=20):
                self.messages = []
                self.max_messages = max_messages

            def add(self, role, content):
                self.messages.append({"role": role, "content": content})
                if len(self.messages) > self.max_messages:
                    self.messages.pop(0)

            def get(self):
                return list(self.messages)

        class Window:
            def __init__(self):
                self.turns = deque(maxlen=12)

        class Compacting:
            def __init__(self):
                self.messages = []

            def add(self, m):
                self.messages.append(m)
                if len(self.messages) > 60:
                    self.messages = self.messages[-20:]

        class History:
            def __init__(self, budget):
                self.messages, self.total, self.budget = [], 0, budget

            def truncate(self):
                while len(self.messages) >= 2 and self.total > self.budget:
                    self.messages.pop(0)

        memory = ConversationMemory()
        window = Window()
        compacting = Compacting()

        def chat(text):
            memory.add("user", text)
            r = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": "Hi"}, *memory.get()])
            window.turns.append({"role": "user", "content": text})
            client.chat.completions.create(model="gpt-4.1", messages=list(window.turns))
            compacting.add({"role": "user", "content": text})
            client.chat.completions.create(model="gpt-4.1", messages=compacting.messages)

        def agent(history: History):
            while True:
                history.messages.append({"role": "user", "content": input()})
                history.truncate()
                r = claude.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=history.messages, cache_control={"type": "ephemeral"})
                history.messages.append({"role": "assistant", "content": r.content})
        """
    )
    assert found == [(17, "CL501"), (24, "CL501"), (41, "CL501")]


def test_a_local_taken_from_a_dict_entry_and_cut_or_stored_back_cut() -> None:
    """Bots that take the entry into a local: `hist = d.setdefault(cid, [])` stored back as
    `d[cid] = hist[-N:]`, `h = history[chat_id]` re-cut locally, `pop(0)` on a local of a dict
    attribute given `[]` the first time."""
    found = structural_found(
        """
        from collections import defaultdict
        from openai import OpenAI

        client = OpenAI()
        _histories = {}
        history = defaultdict(list)

        async def ask(cid, prompt):
            hist = _histories.setdefault(cid, [])
            hist.append({"role": "user", "content": prompt})
            res = client.chat.completions.create(model="gpt-4o-mini", messages=hist)
            hist.append({"role": "assistant", "content": res.choices[0].message.content})
            if len(hist) > 20:
                _histories[cid] = _histories[cid][-20:]

        async def on_message(chat_id, text):
            h = history[chat_id]
            h.append({"role": "user", "content": text})
            if len(h) > 15:
                h = h[-15:]
            r = client.chat.completions.create(model="gpt-4o-mini", messages=list(h))
            h.append({"role": "assistant", "content": r.choices[0].message.content})

        class Cog:
            def __init__(self):
                self.user_history_map = {}

            async def ask(self, author, prompt):
                if author in self.user_history_map:
                    message_history = self.user_history_map[author]
                else:
                    message_history = []
                if len(message_history) > 10:
                    message_history.pop(0)
                message_history.append({"role": "user", "content": prompt})
                r = client.chat.completions.create(model="gpt-4o-mini", messages=message_history)
                message_history.append({"role": "assistant", "content": r.choices[0].message.content})
                self.user_history_map[author] = message_history

        async def fresh(cid, prompt):
            hist = [{"role": "user", "content": prompt}]
            hist = hist[-5:]
            return client.chat.completions.create(model="gpt-4o-mini", messages=hist)
        """
    )
    assert found == [(15, "CL501"), (21, "CL501"), (35, "CL501")]


def test_a_local_and_the_dict_entry_it_holds_are_one_history() -> None:
    """Grown through `hist` and sent, cut or pruned through `histories[uid]` (or the reverse); keys
    that are themselves subscripts (`event["user"]`)."""
    found = structural_found(
        """
        import anthropic
        from openai import OpenAI

        client = OpenAI()
        claude = anthropic.Anthropic()
        histories = {}

        def sent_through_the_entry(uid, text):
            hist = histories.setdefault(uid, [])
            hist.append({"role": "user", "content": text})
            resp = client.chat.completions.create(model="gpt-4.1", messages=histories[uid][-10:])
            hist.append({"role": "assistant", "content": resp.choices[0].message.content})

        def cut_through_the_entry(user_id, text):
            hist = histories[user_id]
            hist.append({"role": "user", "content": text})
            while len(histories[user_id]) > 30:
                histories[user_id].pop(0)
            reply = claude.messages.create(model="claude-sonnet-4-5", max_tokens=800, messages=hist, cache_control={"type": "ephemeral"})
            hist.append({"role": "assistant", "content": reply.content})

        def keyed_by_a_subscript(event):
            histories.setdefault(event["user"], []).append({"role": "user", "content": event["text"]})
            histories[event["user"]] = histories[event["user"]][-10:]
            resp = client.chat.completions.create(model="gpt-4.1", messages=histories[event["user"]])
            histories[event["user"]].append({"role": "assistant", "content": resp.choices[0].message.content})
        """
    )
    assert found == [(12, "CL501"), (19, "CL501"), (25, "CL501")]


def test_a_chunked_pop_loop_a_fixed_offset_and_the_newest_message_alone_are_no_windows() -> None:
    found = structural_found(
        """
        import anthropic
        from openai import OpenAI

        claude = anthropic.Anthropic()
        client = OpenAI()
        histories = {}

        def run():
            hist = []
            while True:
                hist.append({"role": "user", "content": input()})
                if len(hist) > 80:
                    while len(hist) > 30:
                        hist.pop(0)
                reply = claude.messages.create(model="claude-sonnet-4-5", max_tokens=2000, messages=hist, cache_control={"type": "ephemeral"})
                hist.append({"role": "assistant", "content": reply.content[0].text})

        def chat(user_id, text):
            hist = histories.setdefault(user_id, [{"role": "system", "content": "You are a helpdesk bot."}])
            hist.append({"role": "user", "content": text})
            reply = claude.messages.create(model="claude-sonnet-4-5", max_tokens=700, system=hist[0]["content"], messages=hist[1:], cache_control={"type": "ephemeral"})
            hist.append({"role": "assistant", "content": reply.content[0].text})

        def stateless(user_id, text):
            log = histories.setdefault(user_id, [])
            log.append({"role": "user", "content": text})
            resp = client.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "system", "content": "FAQ."}, *log[-1:]])
            log.append({"role": "assistant", "content": resp.choices[0].message.content})

        def sliding(user_id, text):
            log = histories.setdefault(user_id, [])
            log.append({"role": "user", "content": text})
            if len(log) > 40:
                while len(log) > 38:
                    log.pop(0)
            resp = client.chat.completions.create(model="gpt-4.1-mini", messages=log[-2:] + log)
            log.append({"role": "assistant", "content": resp.choices[0].message.content})
        """
    )
    assert found == [(36, "CL501"), (37, "CL501")]


def test_a_model_or_parameter_kept_per_user_or_chosen_once_is_no_switch() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        DEFAULT = {"thinking": {"type": "disabled"}}
        chats = {}
        user_model = {}
        models = {}
        chat_settings = {}

        def route(text):
            return "claude-opus-4-5" if len(text) > 500 else "claude-haiku-4-5"

        def from_a_dict(chat_id, text):
            hist = chats.setdefault(chat_id, [])
            hist.append({"role": "user", "content": text})
            reply = client.messages.create(model=user_model[chat_id], max_tokens=1000, messages=hist)
            hist.append({"role": "assistant", "content": reply.content})

        def sticky(user_id, text):
            model = models.setdefault(user_id, route(text))
            cfg = chat_settings.setdefault(user_id, DEFAULT)
            hist = chats.setdefault(user_id, [])
            hist.append({"role": "user", "content": text})
            reply = client.messages.create(model=model, max_tokens=700, thinking=cfg["thinking"], messages=hist)
            hist.append({"role": "assistant", "content": reply.content[0].text})

        def chosen_once():
            model = None
            hist = []
            while True:
                text = input()
                if model is None:
                    model = route(text)
                hist.append({"role": "user", "content": text})
                reply = client.messages.create(model=model, max_tokens=700, messages=hist)
                hist.append({"role": "assistant", "content": reply.content[0].text})

        def rerouted_every_turn(chat_id, text):
            user_model[chat_id] = route(text)
            hist = chats.setdefault(chat_id, [])
            hist.append({"role": "user", "content": text})
            reply = client.messages.create(model=user_model[chat_id], max_tokens=1000, messages=hist)
            hist.append({"role": "assistant", "content": reply.content})
        """
    )
    assert found == [(42, "CL505")]


def test_a_lambda_forwarder_in_a_loop_and_a_bound_partial_called_each_turn() -> None:
    found = structural_found(
        """
        import functools
        import random
        import anthropic
        import anyio

        client = anthropic.Anthropic()
        send = functools.partial(client.messages.create, max_tokens=500)

        async def chat_loop():
            h = []
            while True:
                h.append({"role": "user", "content": input()})
                reply = await anyio.to_thread.run_sync(lambda: client.messages.create(model="claude-sonnet-4-5", max_tokens=500, messages=h[-14:]))
                h.append({"role": "assistant", "content": reply.content[0].text})

        def main():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                reply = send(model=random.choice(["claude-sonnet-4-5", "claude-haiku-4-5"]), messages=history)
                history.append({"role": "assistant", "content": reply.content[0].text})
        """
    )
    assert found == [(14, "CL501"), (21, "CL505")]


def test_a_window_cut_by_a_nested_helper_a_method_or_a_helper_given_the_key() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()
        chats = {}

        def run():
            history = []

            def window(h):
                return h[-8:]

            while True:
                history.append({"role": "user", "content": input()})
                reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=600, messages=window(history))
                history.append({"role": "assistant", "content": reply.content[0].text})

        class Bot:
            def __init__(self):
                self.history = []

            def _window(self, msgs):
                return msgs[-8:]

            def on_update(self, text):
                self.history.append({"role": "user", "content": text})
                reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=600, messages=self._window(self.history))
                self.history.append({"role": "assistant", "content": reply.content[0].text})

        def last(cid):
            return chats[cid][-8:]

        def on_message(cid, text):
            chats.setdefault(cid, []).append({"role": "user", "content": text})
            reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=600, messages=last(cid))
            chats[cid].append({"role": "assistant", "content": reply.content[0].text})
        """
    )
    assert found == [(14, "CL501"), (26, "CL501"), (34, "CL501")]


def test_a_history_loaded_from_storage_and_stored_back_is_kept_between_calls() -> None:
    """A bot that loads the chat each message and saves it again: cut in place (`h[:] = h[-N:]`)
    once full, the prefix shifts every turn. (Saved cut, `json.dump(h[-N:], f)`, is not followed:
    a tail written elsewhere, for logs or analytics, looks the same.)"""
    found = structural_found(
        """
        import json
        from pathlib import Path
        from anthropic import Anthropic
        from openai import OpenAI
        from storage import load_history, save_history

        claude = Anthropic()
        client = OpenAI()

        def ask(chat_id, text):
            history = load_history(chat_id)
            history.append({"role": "user", "content": text})
            if len(history) > 20:
                history[:] = history[-20:]
            r = claude.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=history, cache_control={"type": "ephemeral"})
            history.append({"role": "assistant", "content": r.content[0].text})
            save_history(chat_id, history)

        def chat(chat_id, prompt):
            path = Path("/tmp/chats") / chat_id
            messages = json.loads(path.read_text()) if path.exists() else []
            messages.append({"role": "user", "content": prompt})
            r = client.chat.completions.create(model="gpt-4o", messages=messages)
            messages.append({"role": "assistant", "content": r.choices[0].message.content})
            json.dump(messages[-100:], path.open("w"))

        def one_shot(prompt):
            messages = load_history("faq")
            messages.append({"role": "user", "content": prompt})
            messages = messages[-5:]
            return client.chat.completions.create(model="gpt-4o", messages=messages)
        """
    )
    assert found == [(15, "CL501")]


def test_probe_m_shapes_that_are_fine() -> None:
    """A compaction helper run only past a high bound, a local re-bound after the request, a pop loop
    down from a token count, a partial bound once before the loop, a model per user through a
    helper or derived from a per-user plan."""
    found = structural_found(
        """
        import functools
        import random
        import anthropic

        client = anthropic.Anthropic()
        histories = {}
        plans = {}
        user_model = {}

        def count_tokens(msgs):
            return sum(len(str(m["content"])) for m in msgs) // 4

        def model_for(uid):
            return user_model.get(uid, "claude-haiku-4-5")

        class Chat:
            def __init__(self):
                self.history = []

            def _compact(self):
                self.history = self.history[-10:]

            def ask(self, text):
                self.history.append({"role": "user", "content": text})
                if len(self.history) > 60:
                    self._compact()
                reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=800, messages=self.history, cache_control={"type": "ephemeral"})
                self.history.append({"role": "assistant", "content": reply.content})

        def on_message(uid, text):
            hist = histories.setdefault(uid, [])
            hist.append({"role": "user", "content": text})
            if count_tokens(hist) > 100_000:
                while count_tokens(hist) > 50_000:
                    hist.pop(0)
            plan = plans.get(uid, "free")
            if plan == "pro":
                model = "claude-opus-4-5"
            else:
                model = model_for(uid)
            reply = client.messages.create(model=model, max_tokens=700, messages=hist, cache_control={"type": "ephemeral"})
            hist.append({"role": "assistant", "content": reply.content[0].text})
            hist = hist[-6:]
            print(hist)

        def conversation():
            send = functools.partial(client.messages.create, model=random.choice(["claude-sonnet-4-5", "claude-opus-4-5"]), max_tokens=600)
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                reply = send(messages=history, cache_control={"type": "ephemeral"})
                history.append({"role": "assistant", "content": reply.content[0].text})
        """
    )
    assert found == []


def test_probe_m_shapes_that_bust() -> None:
    """A lazy choice unset again every turn, tools ranked per turn, a window through a key helper's
    `.get(cid, [])` or a closure over `self.chats[cid]`."""
    found = structural_found(
        """
        import anthropic

        client = anthropic.Anthropic()
        chats = {}

        def pick(text):
            return "claude-opus-4-5" if len(text) > 500 else "claude-haiku-4-5"

        def repl(catalog, similarity):
            messages = []
            while True:
                text = input()
                model = None
                if model is None:
                    model = pick(text)
                tools = sorted(catalog, key=lambda t: similarity(t["description"], text), reverse=True)[:6]
                messages.append({"role": "user", "content": text})
                reply = client.messages.create(model=model, max_tokens=800, tools=tools, messages=messages)
                messages.append({"role": "assistant", "content": reply.content})

        def window(cid):
            return chats.get(cid, [])[-8:]

        def ask(cid, text):
            chats.setdefault(cid, []).append({"role": "user", "content": text})
            reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=500, messages=window(cid))
            chats[cid].append({"role": "assistant", "content": reply.content[0].text})

        class Bot:
            def __init__(self):
                self.chats = {}

            def on_update(self, cid, text):
                def recent():
                    return self.chats[cid][-8:]

                self.chats.setdefault(cid, []).append({"role": "user", "content": text})
                reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=600, messages=recent())
                self.chats[cid].append({"role": "assistant", "content": reply.content[0].text})
        """
    )
    assert [code for _, code in found] == ["CL505", "CL503", "CL501", "CL501"]


def test_a_helper_given_the_key_grows_and_cuts_and_a_caller_cuts_after_the_turn() -> None:
    found = structural_found(
        """
        from openai import OpenAI

        client = OpenAI()
        chat_histories = {}
        archive = {}

        def update_history(chat_id, role, content):
            if chat_id not in chat_histories:
                chat_histories[chat_id] = []
            chat_histories[chat_id].append({"role": role, "content": content})
            if len(chat_histories[chat_id]) > 20:
                chat_histories[chat_id] = chat_histories[chat_id][-20:]

        def archive_tail(chat_id):
            archive[chat_id] = list(chat_histories[chat_id])[-5:]

        async def handle_message(chat_id, text):
            update_history(chat_id, "user", text)
            archive_tail(chat_id)
            r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": "Hi"}] + chat_histories[chat_id])
            update_history(chat_id, "assistant", r.choices[0].message.content)

        def respond(prompt, memory):
            memory.append({"role": "user", "content": prompt})
            r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": "Hi"}, *memory])
            memory.append({"role": "assistant", "content": r.choices[0].message.content})
            return r.choices[0].message.content

        class Bot:
            def __init__(self):
                self.memory = []
                self.log = []

            async def on_message(self, text):
                reply = respond(text, self.memory)
                self.log = self.log[-10:]
                if len(self.memory) > 10:
                    self.memory = self.memory[-10:]
                return reply
        """
    )
    assert found == [(13, "CL501"), (39, "CL501")]


def test_probe_o_and_p_shapes() -> None:
    """Busters: `history = trim(history)`, a window a method returns from `self.history`. Fine: a
    compaction helper that cuts past its own bound, a model chosen from the conversation's key, a
    constant set in a lazy-init block, a tail of the history written to a log."""
    found = structural_found(
        """
        import json
        import logging
        import anthropic

        client = anthropic.Anthropic()
        histories = {}
        ARMS = ["claude-sonnet-4-5", "claude-opus-4-5"]
        log = logging.getLogger(__name__)

        def trim(history):
            return history[-12:]

        def compact(history):
            if len(history) <= 80:
                return history
            return history[-30:]

        def run():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                history = trim(history)
                reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=history, cache_control={"type": "ephemeral"})
                history.append({"role": "assistant", "content": reply.content})

        class Chat:
            def __init__(self):
                self.history = []
                self.model = None

            def _window(self):
                return self.history[-12:]

            def ask(self, text):
                self.history.append({"role": "user", "content": text})
                if self.model is None:
                    self.model = "claude-sonnet-4-5"
                    thinking = {"type": "disabled"}
                reply = client.messages.create(model=self.model, max_tokens=512, messages=self._window(), cache_control={"type": "ephemeral"})
                self.history.append({"role": "assistant", "content": reply.content})

        def on_message(uid, text):
            histories.setdefault(uid, []).append({"role": "user", "content": text})
            histories[uid] = compact(histories[uid])
            log.info(json.dumps(histories[uid][-5:]))
            reply = client.messages.create(model=ARMS[uid % 2], max_tokens=700, messages=histories[uid], cache_control={"type": "ephemeral"})
            histories[uid].append({"role": "assistant", "content": reply.content})
        """
    )
    assert found == [(23, "CL501"), (40, "CL501")]


def test_probe_q_compactions_that_are_fine() -> None:
    """`del h[:-40]` past 100, an early return below the bound ahead of the cut, thresholds from a
    tuple assignment, a model per team through `self.models.get(team) or DEFAULT`."""
    found = structural_found(
        """
        import anthropic

        client = anthropic.Anthropic()
        HIGH, LOW = 100_000, 50_000

        def count_tokens(msgs):
            return sum(len(str(m)) for m in msgs) // 4

        def main():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                if len(history) > 100:
                    del history[:-40]
                if count_tokens(history) > HIGH:
                    while count_tokens(history) > LOW:
                        history.pop(0)
                answer = client.messages.create(model="claude-sonnet-4-5", max_tokens=700, messages=history, cache_control={"type": "ephemeral"})
                history.append({"role": "assistant", "content": answer.content[0].text})

        class Memory:
            def __init__(self):
                self.messages = []
                self.models = {}

            def maybe_compact(self):
                if len(self.messages) <= 90:
                    return
                self.messages = self.messages[-30:]

            def model_for(self, team):
                return self.models.get(team) or "claude-sonnet-4-5"

            def ask(self, team, text):
                self.messages.append({"role": "user", "content": text})
                self.maybe_compact()
                r = client.messages.create(model=self.model_for(team), max_tokens=600, messages=self.messages, cache_control={"type": "ephemeral"})
                self.messages.append({"role": "assistant", "content": r.content[0].text})
        """
    )
    assert found == []


def test_a_del_that_keeps_a_small_tail_every_turn_still_slides() -> None:
    found = structural_found(
        """
        import anthropic
        client = anthropic.Anthropic()

        def main():
            history = []
            while True:
                history.append({"role": "user", "content": input()})
                if len(history) > 40:
                    del history[:-40]
                answer = client.messages.create(model="claude-sonnet-4-5", max_tokens=700, messages=history, cache_control={"type": "ephemeral"})
                history.append({"role": "assistant", "content": answer.content[0].text})
        """
    )
    assert found == [(10, "CL501")]


def test_probe_r_deques_and_computed_windows() -> None:
    """A deque sized for the session's hard cap never fills; one set up by `setdefault` is a deque
    all the same; a window kept with an arithmetic count (`KEEP = N - 1`) still slides."""
    found = structural_found(
        """
        from collections import deque
        import anthropic

        client = anthropic.Anthropic()
        MAX_TURNS = 20
        N = 30
        KEEP = N - 1
        calls = {}

        def capped(listen):
            history = deque(maxlen=2 * MAX_TURNS)
            for _ in range(MAX_TURNS):
                history.append({"role": "user", "content": listen()})
                r = client.messages.create(model="claude-haiku-4-5", max_tokens=200, messages=list(history), cache_control={"type": "ephemeral"})
                history.append({"role": "assistant", "content": r.content[0].text})

        def on_speech(sid, said):
            history = calls.setdefault(sid, deque(maxlen=6))
            history.append({"role": "user", "content": said})
            r = client.messages.create(model="claude-haiku-4-5", max_tokens=150, messages=list(history), cache_control={"type": "ephemeral"})
            history.append({"role": "assistant", "content": r.content[0].text})

        def chat(inputs):
            h = []
            for text in inputs:
                h.append({"role": "user", "content": text})
                if len(h) > N:
                    h = h[-KEEP:]
                r = client.messages.create(model="claude-sonnet-4-5", max_tokens=500, messages=h, cache_control={"type": "ephemeral"})
                h.append({"role": "assistant", "content": r.content[0].text})
        """
    )
    assert found == [(19, "CL501"), (29, "CL501")]


def test_window_helper_that_slices_a_local_holding_the_tail() -> None:
    """`head, rest = h[:2], h[2:]` then `return head + rest[-10:]`: the helper keeps the first
    messages and a window of the rest, which slides every turn like an inline cut. A local holding
    a slice with an end (`h[:2]`) follows nothing as the history grows."""
    found = structural_found(
        """
        from anthropic import Anthropic
        client = Anthropic()
        KEEP = 10

        def compact(messages):
            anchors, rest = messages[:2], messages[2:]
            return anchors + rest[-KEEP:]

        def recent(history):
            tail = history[1:]
            return tail[-8:]

        def pinned(history):
            head = history[:4]
            return head[1:]

        def run(messages):
            while True:
                messages = compact(messages)
                r = client.messages.create(model="claude-sonnet-4-5", max_tokens=2048, system="x", messages=messages, cache_control={"type": "ephemeral"})
                messages.append({"role": "assistant", "content": r.content})
                messages.append({"role": "user", "content": input()})

        def chat(history):
            while True:
                history.append({"role": "user", "content": input()})
                r = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=recent(history), cache_control={"type": "ephemeral"})
                history.append({"role": "assistant", "content": r.content})

        def fixed(history):
            while True:
                history.append({"role": "user", "content": input()})
                r = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=pinned(history), cache_control={"type": "ephemeral"})
                history.append({"role": "assistant", "content": r.content})
        """
    )
    assert found == [(20, "CL501"), (28, "CL501")]


@pytest.mark.parametrize(
    ("positions", "rewrites"),
    [("positions[:-1]", True), ("positions[:-KEEP]", True), ("enumerate(positions[:-1])", True), ("positions", False), ("positions[-1:]", False)],
)
def test_constant_written_by_index_into_all_but_the_newest_results(positions: str, rewrites: bool) -> None:
    """`for i, j in positions[:-1]: messages[i]["content"][j]["content"] = "[collapsed]"`: the same
    constant lands on another message every turn (the one that was newest last turn), which was
    sent uncollapsed before. Written at every position, or only at the newest, nothing sent earlier
    changes."""
    target = "n, (i, j)" if positions.startswith("enumerate") else "i, j"
    found = structural_found(
        f"""
        import anthropic
        client = anthropic.Anthropic()
        KEEP = 3

        def run(messages):
            while True:
                positions = [(i, j) for i, m in enumerate(messages) for j, b in enumerate(m["content"]) if b.get("type") == "tool_result"]
                for {target} in {positions}:
                    messages[i]["content"][j]["content"] = "[Result collapsed]"
                resp = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, cache_control={{"type": "ephemeral"}}, messages=messages)
                messages.append({{"role": "assistant", "content": [b.model_dump() for b in resp.content]}})
                messages.append({{"role": "user", "content": input()}})
        """
    )
    assert ((10, "CL502") in found) is rewrites


@pytest.mark.parametrize(
    ("loop", "cut", "slides"),
    [
        ("for i, message in enumerate(messages):", "del messages[i]", True),
        ("for i, message in enumerate(messages):", "messages.pop(i)", True),
        ("for i, message in enumerate(reversed(messages)):", "del messages[i]", False),
        ("for i, message in enumerate(messages[1:]):", "del messages[i]", False),
    ],
)
def test_budget_loop_deleting_the_first_message_a_search_finds(loop: str, cut: str, slides: bool) -> None:
    """`while tokens(messages) > MAX: for i, m in enumerate(messages): if m["role"] != "system":
    del messages[i]; break` drops the oldest turn every turn once the budget is reached. A search
    from the newest end, or over a slice, does not say which message it finds."""
    found = structural_found(
        f"""
        from openai import OpenAI
        client = OpenAI()
        MAX_CONTEXT = 8000

        def trim(messages):
            while sum(len(m["content"]) for m in messages) > MAX_CONTEXT:
                {loop}
                    if message["role"] in ("user", "assistant"):
                        {cut}
                        break
            return messages

        def reply(history, text):
            history.append({{"role": "user", "content": text}})
            trim(history)
            return client.chat.completions.create(model="gpt-4o", messages=history)
        """
    )
    assert ((10, "CL501") in found) is slides
