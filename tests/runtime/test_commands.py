"""`cachelint report`, `diff` and `probe` on logs, saved bodies and a real subprocess probe."""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from cachelint.runtime.commands import diff, probe, report
from cachelint.runtime.tracker import PrefixTracker
from tests.runtime.conftest import anthropic_body, grow

WRITE = {"input_tokens": 10, "cache_creation_input_tokens": 2000, "cache_read_input_tokens": 0, "output_tokens": 5}
READ = {"input_tokens": 10, "cache_creation_input_tokens": 40, "cache_read_input_tokens": 2000, "output_tokens": 5}


def write_log(path: Path) -> None:
    t = PrefixTracker(log=str(path))
    body = anthropic_body(1)
    t.observe(body, conversation="ticket-1", usage=WRITE)
    t.observe(grow(body), conversation="ticket-1", usage=READ)
    changed = grow(grow(body))
    changed["system"][0]["text"] += " It is 10:46."
    t.observe(changed, conversation="ticket-1", usage=WRITE)
    t.observe(anthropic_body(1, system="other"), conversation="ticket-2", usage=READ)
    t._sink.close()


def test_report_text_and_json(tmp_path):
    log = tmp_path / "calls.jsonl"
    write_log(log)
    result = CliRunner().invoke(report, [str(log)])
    assert result.exit_code == 0, result.output
    assert "2 conversation(s), 4 call(s), 1 drift event(s)" in result.output
    assert 'conversation "ticket-1" (anthropic claude-sonnet-4-5): 3 call(s), hit rate 33%' in result.output
    assert "drift at turn 3: system[0]" in result.output
    data = json.loads(CliRunner().invoke(report, [str(log), "--output-format", "json"]).output)
    first = data[0]
    assert first["conversation"] == "ticket-1" and first["tokens"] == {"uncached": 30, "read": 2000, "written": 4040}
    assert first["drifts"][0]["where"] == "system[0]" and first["lost"] > 0


def test_report_accepts_saved_request_bodies(tmp_path):
    body = anthropic_body(1)
    changed = grow(body)
    changed["tools"][0]["description"] = "v2"
    saved = tmp_path / "bodies.jsonl"
    saved.write_text("\n".join(json.dumps({"request": b, "response": {"usage": WRITE}, "conversation": "c"}) for b in (body, changed)))
    result = CliRunner().invoke(report, [str(saved)])
    assert result.exit_code == 0, result.output
    assert 'drift at turn 2: tools[0] ("search_docs") description' in result.output


def test_report_says_what_it_cannot_know(tmp_path):
    # Bodies saved without responses: the usage is unknown, not zero.
    bare = tmp_path / "bare.jsonl"
    bare.write_text("\n".join(json.dumps(b) for b in (anthropic_body(1), grow(anthropic_body(1)))))
    result = CliRunner().invoke(report, [str(bare)])
    assert "usage unknown (no responses recorded)" in result.output and "hit rate" not in result.output
    assert json.loads(CliRunner().invoke(report, [str(bare), "--output-format", "json"]).output)[0]["hit_rate"] is None
    # A conversation whose model has no price is named in the total instead of silently left out.
    log = tmp_path / "calls.jsonl"
    write_log(log)
    t = PrefixTracker(log=str(tmp_path / "unpriced.jsonl"))
    t.observe({**anthropic_body(1), "model": "acme-model-1"}, conversation="ticket-9", usage=READ)
    t._sink.close()
    mixed = CliRunner().invoke(report, [str(log), str(tmp_path / "unpriced.jsonl")])
    assert "(not counted: " in mixed.output and "tokens of 1 conversation(s) whose model has no price)" in mixed.output


def test_report_rejects_garbage(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"hello": 1}\nnot json\n')
    result = CliRunner().invoke(report, [str(bad)])
    # Exit 2, an input error, so that CI tells a broken file from a drift (exit 1).
    assert result.exit_code == 2 and "bad.jsonl:2: not JSON" in result.output
    (tmp_path / "ok.json").write_text('{"model": "m", "messages": []}')
    broken = CliRunner().invoke(diff, [str(tmp_path / "ok.json"), str(bad)])
    assert broken.exit_code == 2, broken.output


def test_diff_names_the_segment_like_the_live_report(tmp_path):
    a = {"modelId": "anthropic.claude-sonnet-4-5-v1:0", "system": [{"text": "Be brief."}], "toolConfig": {"tools": [{"toolSpec": {"name": "lookup", "description": "d"}}]}, "messages": [{"role": "user", "content": [{"text": "hi"}]}]}
    b = copy.deepcopy(a)
    b["toolConfig"]["tools"][0]["toolSpec"]["description"] = "d2"
    (tmp_path / "a.json").write_text(json.dumps(a))
    (tmp_path / "b.json").write_text(json.dumps(b))
    result = CliRunner().invoke(diff, [str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert result.exit_code == 1
    assert 'first change: toolConfig.tools[0] ("lookup") description' in result.output
    live = PrefixTracker()
    live.observe(a, conversation="x")
    assert live.observe(b, conversation="x").where == 'toolConfig.tools[0] ("lookup") description'
    same = CliRunner().invoke(diff, [str(tmp_path / "a.json"), str(tmp_path / "a.json")])
    assert same.exit_code == 0 and "no drift" in same.output


def test_probe_finds_hash_seed_and_clock_busters(tmp_path, monkeypatch):
    (tmp_path / "agent_builder.py").write_text(
        textwrap.dedent(
            """
            import datetime
            SKILLS = {"search", "fetch", "summarize", "translate", "plan", "review"}
            def build():
                return {"model": "claude-sonnet-4-5",
                        "tools": [{"name": n, "description": n} for n in SKILLS],
                        "system": f"Now: {datetime.datetime.now():%H:%M:%S}",
                        "messages": [{"role": "user", "content": "hi"}]}
            def stable():
                return {"model": "claude-sonnet-4-5", "tools": [{"name": n} for n in sorted(SKILLS)], "messages": []}
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(probe, ["agent_builder:build", "--clock", "--runs", "6"])
    assert result.exit_code == 1, result.output
    assert "tools order: differs with PYTHONHASHSEED" in result.output
    assert "system[0]: differs with the clock" in result.output
    ok = CliRunner().invoke(probe, ["agent_builder:stable", "--runs", "3"])
    assert ok.exit_code == 0 and "every segment is reproducible" in ok.output
    missing = CliRunner().invoke(probe, ["agent_builder:nope"])
    assert missing.exit_code == 2 and "run failed" in missing.output


def test_probe_leaves_the_newest_message_alone_and_names_a_running_clock(tmp_path, monkeypatch):
    (tmp_path / "late_builder.py").write_text(
        textwrap.dedent(
            """
            import datetime
            def newest():
                return {"model": "m", "system": "Be brief.", "messages": [{"role": "user", "content": f"sent {datetime.datetime.now():%H:%M:%S.%f}"}]}
            def system():
                return {"model": "m", "system": f"Now: {datetime.datetime.now():%H:%M:%S.%f}", "messages": [{"role": "user", "content": "hi"}]}
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    fine = CliRunner().invoke(probe, ["late_builder:newest", "--clock", "--runs", "2"])
    assert fine.exit_code == 0, fine.output
    assert "every segment before the newest message is reproducible" in fine.output
    assert "note: messages[0] changes too, but it is the newest message" in fine.output
    running = CliRunner().invoke(probe, ["late_builder:system", "--runs", "2"])
    assert running.exit_code == 1, running.output
    assert "system[0]: differs between two runs with the same hash seed: a random value" in running.output
    assert "or the time (run with --clock to tell them apart)" in running.output
