"""Every drift kind is named at the right segment; append-only growth never is drift."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cachelint.runtime.drift import classify, first_difference
from cachelint.runtime.segments import fingerprint
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.conftest import grow


def drift_between(a, b, keep_text=False):
    t = PrefixTracker(keep_text=keep_text)
    assert t.observe(a, conversation="c") is None
    return t.observe(b, conversation="c")


def test_append_only_and_identical_are_not_drift(body):
    assert drift_between(body, grow(body)) is None
    assert drift_between(body, copy.deepcopy(body)) is None


def test_responses_chained_by_previous_response_id_send_only_new_items():
    first = {"model": "gpt-5", "instructions": "Be brief. " * 100, "input": [{"role": "user", "content": "Hi"}]}
    chained = {"model": "gpt-5", "instructions": "Be brief. " * 100, "previous_response_id": "resp_1", "input": [{"role": "user", "content": "And then?"}]}
    t = PrefixTracker()
    assert t.observe(first, provider="openai", conversation="c") is None
    # The first chained request continues the stored conversation: its input is only the new item.
    assert t.observe(chained, provider="openai", conversation="c") is None
    assert t.observe({**chained, "previous_response_id": "resp_2", "input": [{"role": "user", "content": "More"}]}, provider="openai", conversation="c") is None
    changed = t.observe({**chained, "instructions": "Be terse. " * 100}, provider="openai", conversation="c")
    assert changed is not None and changed.where == "instructions[0]"


def test_rewind_to_a_shorter_history_is_not_drift(body):
    assert drift_between(grow(body), body) is None


def test_tool_description_change_names_the_tool_and_field(body):
    b = grow(body)
    b["tools"][2]["description"] = "Run a read-only SQL query (as of 12:01)"
    r = drift_between(body, b)
    assert (r.kind, r.segment, r.where, r.index) == ("tool_changed", 'tools[2] ("run_sql")', 'tools[2] ("run_sql") description', 3)
    assert r.section == "tools" and r.tokens_invalidated > 0


def test_tool_schema_path_with_kept_text(body):
    b = copy.deepcopy(body)
    b["tools"][0]["input_schema"]["properties"]["query"]["description"] = "new"
    r = drift_between(body, b, keep_text=True)
    assert r.where == 'tools[0] ("search_docs") input_schema.properties.query.description (added)'
    assert '"description": "new"' in r.diff


def test_tools_reordered(body):
    b = copy.deepcopy(body)
    b["tools"][0], b["tools"][1] = b["tools"][1], b["tools"][0]
    r = drift_between(body, b)
    assert r.kind == "tools_reordered" and r.where == "tools reordered"
    assert "sort" in r.fix


def test_tool_added_and_removed(body):
    b = copy.deepcopy(body)
    b["tools"].insert(1, {"name": "new_tool", "description": "x", "input_schema": {}})
    r = drift_between(body, b)
    assert (r.kind, r.where) == ("tool_added", 'tools[1] ("new_tool") added')
    c = copy.deepcopy(body)
    del c["tools"][1]
    r = drift_between(body, c)
    assert (r.kind, r.where) == ("tool_removed", 'tools[1] ("fetch_url") removed')


def test_system_change_gives_byte_range_without_text_and_a_window_with_text(body):
    b = copy.deepcopy(body)
    b["system"][0]["text"] = body["system"][0]["text"][:-10] + "at 10:46:13"
    r = drift_between(body, b)
    assert (r.kind, r.where) == ("system_changed", "system[0]")
    assert r.detail.startswith("first difference in bytes 5,120-") and r.diff is None
    r = drift_between(body, b, keep_text=True)
    assert r.diff.startswith("- ...") and "at 10:46:13" in r.diff


def test_history_rewritten(body):
    a = grow(body, 4)
    b = grow(body, 4)
    b["messages"][4]["content"][0]["text"] = "[pruned]"
    r = drift_between(a, grow(b))
    assert (r.kind, r.where, r.segment) == ("message_rewritten", "messages[4] rewritten", "messages[4]")


def test_history_rewritten_names_the_block_with_text(body):
    a = grow(body, 2)
    b = copy.deepcopy(a)
    b["messages"][1]["content"].append({"type": "text", "text": "reminder"})
    r = drift_between(a, b, keep_text=True)
    assert r.where == "messages[1] rewritten" and "content" in r.detail


@pytest.mark.parametrize("dropped", [1, 3])
def test_front_truncation(body, dropped):
    a = grow(body, 5)
    b = grow(a, 2)
    b["messages"] = b["messages"][dropped:]
    r = drift_between(a, b)
    expected = "messages[0] dropped from the front" if dropped == 1 else f"messages[0..{dropped - 1}] dropped from the front"
    assert (r.kind, r.where) == ("dropped_front", expected)


def test_compaction_message_removed_and_inserted(body):
    a = grow(body, 5)
    b = copy.deepcopy(a)
    b["messages"] = b["messages"][:2] + [{"role": "user", "content": "summary of turns 2-7"}]
    assert drift_between(a, b).kind == "compacted"
    c = copy.deepcopy(a)
    del c["messages"][3]
    r = drift_between(a, c)
    assert (r.kind, r.where) == ("message_removed", "messages[3] removed")
    d = copy.deepcopy(a)
    d["messages"].insert(2, {"role": "user", "content": "injected"})
    r = drift_between(a, d)
    assert (r.kind, r.where) == ("message_inserted", "messages[2] inserted")


def test_params(body):
    a = copy.deepcopy(body)
    a["tool_choice"] = {"type": "auto"}
    b = copy.deepcopy(a)
    b["tool_choice"] = {"type": "any"}
    r = drift_between(a, b)
    assert (r.kind, r.where, r.segment) == ("param_changed", "param tool_choice", "param tool_choice")
    c = copy.deepcopy(a)
    del c["tool_choice"]
    assert drift_between(a, c).where == "param tool_choice removed"
    m = copy.deepcopy(body)
    m["model"] = "claude-opus-4-5"
    r = drift_between(body, m)
    assert (r.kind, r.index) == ("model_changed", 0)
    assert r.detail == "claude-sonnet-4-5 -> claude-opus-4-5"
    t = copy.deepcopy(body)
    t["temperature"] = 0.2
    assert drift_between(body, t) is None


def test_tool_choice_change_keeps_tools_and_system_cached(body):
    a = copy.deepcopy(body)
    a["tool_choice"] = {"type": "auto"}
    b = copy.deepcopy(a)
    b["tool_choice"] = {"type": "any"}
    r = drift_between(a, b)
    fa = fingerprint(a)
    assert r.tokens_invalidated * 4 <= fa.total_bytes - fa.bytes_before(r.index) + 4


def test_report_text_reads_well(body):
    b = copy.deepcopy(body)
    b["tools"][0]["description"] = "changed"
    text = str(drift_between(body, b))
    assert 'first change: tools[0] ("search_docs") description' in text
    assert "cached prefix tokens invalidated" in text and "fix:" in text


def test_first_difference_bisects_chains():
    assert first_difference([1, 2, 3], [1, 2, 4]) == 2
    assert first_difference([1, 2], [1, 2, 3]) == 2
    assert first_difference([], [1]) == 0


# --- properties ----------------------------------------------------------------------------------

texts = st.text(min_size=1, max_size=30)
messages = st.lists(st.tuples(st.sampled_from(["user", "assistant"]), texts), min_size=1, max_size=8)


def make(system, tools, msgs):
    return {
        "model": "claude-sonnet-4-5",
        "tools": [{"name": f"t{i}", "description": d} for i, d in enumerate(tools)],
        "system": [{"type": "text", "text": s} for s in system],
        "messages": [{"role": r, "content": c} for r, c in msgs],
    }


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3), st.lists(texts, max_size=4), messages, messages)
def test_append_only_growth_is_never_drift(system, tools, history, more):
    a = make(system, tools, history)
    b = make(system, tools, history + more)
    assert classify(fingerprint(a), fingerprint(b)) is None


@settings(max_examples=80, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3), st.lists(texts, min_size=1, max_size=4), messages, st.data())
def test_a_single_segment_mutation_is_reported_at_that_segment(system, tools, history, data):
    a = make(system, tools, history)
    b = copy.deepcopy(a)
    section = data.draw(st.sampled_from(["tools", "system", "messages"]))
    i = data.draw(st.integers(0, len(b[section]) - 1))
    field = {"tools": "description", "system": "text", "messages": "content"}[section]
    b[section][i][field] = b[section][i][field] + "!"
    fa, fb = fingerprint(a), fingerprint(b)
    change = classify(fa, fb)
    assert change is not None
    assert fb.label(change.index).startswith(f"{section}[{i}]")
    assert change.index == fb.indexes(section)[i]


def test_a_changed_openai_system_message_gets_the_system_prompt_advice():
    t = PrefixTracker()
    chat = [{"role": "system", "content": "You help. " * 100}, {"role": "user", "content": "Hi"}]
    assert t.observe({"model": "gpt-4o", "messages": chat}, provider="openai", conversation="c") is None
    changed = [{"role": "system", "content": "You help! " * 100}, *chat[1:], {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "More"}]
    report = t.observe({"model": "gpt-4o", "messages": changed}, provider="openai", conversation="c")
    assert (report.kind, report.where) == ("system_message_rewritten", "messages[0] rewritten")
    assert "out of the system message" in report.fix
    edited = [*changed[:2], {"role": "assistant", "content": "Hello!"}, *changed[3:]]
    assert t.observe({"model": "gpt-4o", "messages": edited}, provider="openai", conversation="c").kind == "message_rewritten"
