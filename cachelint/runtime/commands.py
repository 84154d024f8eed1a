"""Click commands of the runtime companion: `report`, `diff`, `probe`.

Only click is imported at module level; the runtime loads when a command runs. Exit codes follow
the checker: 0 nothing to report, 1 something reported, 2 usage or input error.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click


class InputFailure(click.ClickException):
    """A log or body that cannot be read: exit 2, so a CI job tells it from a drift (exit 1)."""

    exit_code = 2


@click.command("report")
@click.argument("logs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--top", type=int, default=5, show_default=True, help="Drift events shown per conversation (text).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Also write a self-contained HTML timeline to this file.")
def report(logs: tuple[Path, ...], output_format: str, top: int, html_file: Path | None) -> None:
    """Summarise cachelint logs (or saved request bodies) per conversation: calls, hit rate,
    tokens read and written, money spent and lost, drift events ranked by cost."""
    from cachelint.runtime.report import InputError, format_text, records_from, summarize

    try:
        records = records_from(list(logs))
    except InputError as exc:
        raise InputFailure(str(exc)) from None
    summaries = summarize(records)
    if html_file is not None:
        from cachelint.runtime.html import render_html

        try:
            html_file.write_text(render_html(records, summaries), encoding="utf-8")
        except OSError as exc:
            raise InputFailure(f"cannot write {html_file}: {exc.strerror or exc}") from None
        click.echo(f"Wrote {html_file}", err=True)
    if output_format == "json":
        click.echo(json.dumps([s.to_dict() for s in summaries], indent=2))
    else:
        click.echo(format_text(summaries, top=top))


@click.command("diff")
@click.argument("first", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("second", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-text", is_flag=True, help="Name the segment only; print no prompt text.")
def diff(first: Path, second: Path, output_format: str, no_text: bool) -> None:
    """Name the first segment where SECOND's cached prefix diverges from FIRST's (saved request
    bodies, Anthropic, Bedrock or OpenAI). Exit 1 when it drifted, 0 when SECOND only appends."""
    from cachelint.runtime.report import InputError, diff_bodies, load_body

    try:
        result = diff_bodies(load_body(first), load_body(second), keep_text=not no_text)
    except InputError as exc:
        raise InputFailure(str(exc)) from None
    if output_format == "json":
        click.echo(json.dumps(result.to_dict() if result else None, indent=2))
    elif result is None:
        click.echo(f"no drift: {second} keeps the cached prefix of {first} (identical or append-only)")
    else:
        click.echo(str(result).replace('conversation "diff", turn 2', f"{second} against {first}"))
    if result is not None:
        raise SystemExit(1)


@click.command("probe")
@click.argument("target")
@click.option("--runs", type=click.IntRange(2, 32), default=4, show_default=True, help="Hash seeds to try.")
@click.option("--clock", "vary_clock", is_flag=True, help="Also run with the clock frozen at different instants.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per run.")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def probe(target: str, runs: int, vary_clock: bool, timeout: float, output_format: str) -> None:
    """Run TARGET (module:function returning request kwargs, or calling watched clients) in fresh
    interpreters with different PYTHONHASHSEED values (and clocks with --clock) and report the
    segments that are not reproducible. Exit 1 when some are."""
    from cachelint.runtime.probe import run_probe

    clocks = None
    if vary_clock:
        now = float(int(time.time()))
        clocks = [now, now + 3661.5, now + 86400 * 3 + 7]  # seconds, hours and days all change
    result = run_probe(target, seeds=runs, clocks=clocks, timeout=timeout)
    if output_format == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(f"cachelint probe {target}: {result.runs} run(s), {result.requests} request(s)")
        for error in result.errors:
            click.echo(f"  run failed ({error})")
        if not result.unstable and not result.errors:
            scope = "every segment before the newest message" if result.newest else "every segment"
            click.echo(f"  {scope} is reproducible across hash seeds" + (" and clocks" if vary_clock else ""))
        for item in result.unstable:
            where = f"request {item['request']}: " if result.requests > 1 else ""
            click.echo(f"  {where}{item['segment']}: {item['why']}")
        for item in result.newest:
            where = f"request {item['request']}: " if result.requests > 1 else ""
            click.echo(f"  note: {where}{item['segment']} changes too, but it is the newest message, which no cache has read yet: fine")
    if result.errors and not result.requests:
        raise SystemExit(2)
    if result.unstable:
        raise SystemExit(1)


__all__ = ["diff", "probe", "report"]
