"""The `cachelint` command line: check, rules, rule, and the runtime commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cachelint import __version__
from cachelint.fastpath import NO_FILES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cachelint.replay import Recorder

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _split(values: tuple[str, ...]) -> list[str]:
    """`--select CL101,CL102 --select CL2` -> ["CL101", "CL102", "CL2"]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def project_root(start: Path) -> Path:
    """The git work tree containing `start` (CI tools want repository-relative paths), else `start`."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


def _fail(message: str) -> None:
    click.echo(f"cachelint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


# The runtime companion's commands (cachelint.runtime.commands), loaded when one of them is asked for.
RUNTIME_COMMANDS = ("diff", "probe", "report")


class _Group(click.Group):
    """Exit 2 with a short message on a bug: Python's own exit code for a traceback, 1, means "findings"."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *RUNTIME_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in RUNTIME_COMMANDS:
            from cachelint.runtime import commands

            return getattr(commands, name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - any other exception is a bug in cachelint
            import traceback

            traceback.print_exc()
            _fail(f"internal error: {exc.__class__.__name__}: {exc}")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cachelint")
def main() -> None:
    """Find prompt-cache busters in Python LLM code before they ship."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rules to enable (codes, prefixes like CL1, names, or ALL); replaces the configured list.")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the configured selection.")
@click.option("--ignore", multiple=True, help="Rules to disable.")
@click.option("--output-format", type=click.Choice(["full", "concise", "json", "json-lines", "github", "gitlab", "sarif", "junit"]), help="How to print findings [default: full].")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True), help="Write findings to this file instead of stdout.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each finding.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="CACHELINT_CACHE_DIR", help="Where to keep the result cache.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0 = one per core).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="Use this configuration file for every path.")
@click.option("--force-exclude", is_flag=True, help="Apply exclusions to paths given on the command line too (for pre-commit).")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--diff", is_flag=True, help="Show the fixes as a diff without writing them.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour (with --fix or --diff).")
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODE` comments to every line with a finding.")
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str | None,
    output_file: str | None,
    exit_zero: bool,
    statistics: bool,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int,
    config_file: str | None,
    force_exclude: bool,
    fix: bool,
    diff: bool,
    unsafe_fixes: bool,
    add_noqa: bool,
) -> None:
    """Check PATHS (default: the current directory) for prompt-cache busters."""
    from cachelint.catalogue import load_catalogue
    from cachelint.config import CliOverrides, ConfigError, SettingsResolver
    from cachelint.discovery import MissingPathError, discover
    from cachelint.formats import Report, renderer
    from cachelint.runner import check_candidates
    from cachelint.yamlfile import DataError

    recorder = _recorder()
    try:
        catalogue = load_catalogue()
        overrides = CliOverrides(
            select=_split(select) if select else None,
            extend_select=_split(extend_select),
            ignore=_split(ignore),
        )
        resolver = SettingsResolver(catalogue, overrides, Path(config_file) if config_file else None)
        candidates = discover(list(paths) or ["."], resolver, force_exclude=force_exclude, listed=recorder.listed if recorder else None)
        base = resolver.for_path(Path.cwd())
    except MissingPathError as exc:
        _fail(str(exc))
    except (ConfigError, DataError) as exc:
        _fail(str(exc))
    if not (select or extend_select or ignore):
        # Lets the next `cachelint check` of files without sinks answer at start-up (cachelint.fastpath).
        from cachelint.fastpath_store import record

        record(catalogue, list(paths), config_file)

    if not candidates:
        click.echo(NO_FILES, err=True)
    fmt = output_format or base.output_format or "full"
    cache = None
    if not no_cache:
        from cachelint.cache import ResultCache, resolve_cache_dir

        cache = ResultCache(resolve_cache_dir(cache_dir, base.cache_dir, base.root, project_root(Path.cwd())))
    try:
        result = check_candidates(candidates, catalogue, cache, jobs, keep_sources=fmt == "full" and not statistics, keep_contents=recorder is not None)
        if fix or diff:
            result = _fix(candidates, catalogue, cache, jobs, result, fmt == "full" and not statistics, unsafe_fixes, write=not diff)
        if add_noqa:
            _add_noqa(candidates, result)
    except KeyboardInterrupt:
        # Files are written atomically, so each is left either as it was or fully fixed.
        click.echo("cachelint: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    diagnostics = result.diagnostics
    enabled = sorted(set().union(*(c.settings.enabled for c in candidates)) if candidates else base.enabled)
    report = Report(
        format=fmt,
        diagnostics=diagnostics,
        rules=[r for r in catalogue.rules if r.code in enabled],
        sources={f.filename: f.source for f in result.files if f.source is not None},
        files_checked=len(candidates),
        statistics=statistics,
        root=str(project_root(Path.cwd())),
    )
    text = renderer(fmt)(report)
    if output_file:
        try:
            Path(output_file).write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write {output_file}: {exc.strerror or exc}")
    elif text:
        click.echo(text, nl=not text.endswith("\n"))
    for error in result.internal_errors:
        click.echo(f"cachelint: error: {error}", err=True)
    if result.internal_errors:
        sys.exit(EXIT_ERROR)
    code = EXIT_FINDINGS if diagnostics and not exit_zero else EXIT_CLEAN
    # A run without files is not recorded: its warning goes to stderr, which a replay does not repeat.
    if recorder is not None and candidates and cache is not None and cache.writable and result.contents is not None and not any(c.problem for c in candidates):
        settings_files = {os.path.realpath(config_file)} if config_file else set()
        recorder.write(str(cache.directory), list(paths) or ["."], result.contents, settings_files, text, code)
    sys.exit(code)


def _recorder() -> Recorder | None:
    """What records this run for the start-up fast path to replay (cachelint.replay), if it may."""
    from cachelint import replay

    line = replay.command_line
    if line is None or line[:1] != ("check",) or not replay.replayable(line[1:]):
        return None
    return replay.Recorder(line[1:])


def _fix(candidates, catalogue, cache, jobs: int, result, keep_sources: bool, unsafe: bool, write: bool):
    """`--fix` / `--diff`: fix the files with applicable fixes, then check everything again.

    With `write=False` (`--diff`) the diff is printed and the process exits: 1 if there are changes.
    """
    from cachelint.engine import check_source
    from cachelint.fixes import ChangedOnDisk, applicable, plan_fixes, unified_diff, write_atomic
    from cachelint.runner import check_candidates

    by_display = {c.display: c for c in candidates}
    # Notebooks are checked, not fixed: their JSON is not rewritten.
    targets = [
        (by_display[f.filename].path, f.filename)
        for f in result.files
        if f.filename in by_display and not f.filename.endswith(".ipynb") and any(applicable(d, unsafe) for d in f.diagnostics)
    ]

    def recheck(text: str, display: str):
        candidate = by_display[display]
        enabled = candidate.settings.enabled_for(candidate.path)
        return check_source(text.encode("utf-8"), display, candidate.settings.knowledge, catalogue, enabled).diagnostics

    planned = plan_fixes(targets, recheck, unsafe)
    count = sum(p.result.count for p in planned)
    if not write:
        for p in planned:
            click.echo(unified_diff(p), nl=False)
        click.echo(f"Would fix {count} error{'s' if count != 1 else ''}." if count else "No errors would be fixed.", err=True)
        sys.exit(EXIT_FINDINGS if planned else EXIT_CLEAN)
    written = 0
    for p in planned:
        try:
            write_atomic(p.path, p.data, p.new_bytes())
            written += p.result.count
        except ChangedOnDisk as exc:
            click.echo(f"cachelint: warning: {exc}", err=True)
        except OSError as exc:
            click.echo(f"cachelint: error: cannot write {p.display}: {exc.strerror or exc}", err=True)
    if not planned:
        return result
    click.echo(f"Fixed {written} error{'s' if written != 1 else ''}.", err=True)
    # The fixed files are checked again: what is printed and the exit code are what remains.
    return check_candidates(candidates, catalogue, cache, jobs, keep_sources=keep_sources)


def _add_noqa(candidates, result) -> None:
    """`--add-noqa`: suppress every current finding where it is reported; prints how many were added."""
    from cachelint.baseline import add_noqa
    from cachelint.checks.configfiles import comments_allowed

    by_display = {c.display: c for c in candidates}
    # JSON settings files cannot hold a comment; writing one would break them.
    commentless = {d.filename for d in result.diagnostics if d.filename in by_display and not comments_allowed(by_display[d.filename].path)}
    for name in sorted(commentless):
        click.echo(f"cachelint: warning: {name}: JSON has no comments; suppress its findings with `per-file-ignores`", err=True)
    diagnostics = [d for d in result.diagnostics if d.filename not in commentless]
    added = add_noqa(diagnostics, lambda name: by_display[name].path if name in by_display else None)
    for warning in added.warnings:
        click.echo(f"cachelint: warning: {warning}", err=True)
    click.echo(f"Added {added.count} noqa directive{'s' if added.count != 1 else ''}.", err=True)
    sys.exit(EXIT_CLEAN)


@main.command("clean")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="CACHELINT_CACHE_DIR", help="The cache to remove.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="Read `cache-dir` from this configuration file.")
def clean_command(cache_dir: str | None, config_file: str | None) -> None:
    """Remove the result cache of the project in the current directory."""
    from cachelint.cache import NotACacheError, clean, resolve_cache_dir
    from cachelint.catalogue import load_catalogue
    from cachelint.config import CliOverrides, ConfigError, SettingsResolver
    from cachelint.yamlfile import DataError

    try:
        base = SettingsResolver(load_catalogue(), CliOverrides(), Path(config_file) if config_file else None).for_path(Path.cwd())
    except (ConfigError, DataError) as exc:
        _fail(str(exc))
    directory = resolve_cache_dir(cache_dir, base.cache_dir, base.root, project_root(Path.cwd()))
    try:
        removed = clean(directory)
    except (NotACacheError, OSError) as exc:
        _fail(f"cannot remove the cache: {exc}")
    click.echo(f"Removed {directory}" if removed else f"No cache at {directory}")


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def rules_command(output_format: str) -> None:
    """List every rule: code, name, severity, summary."""
    import json

    from cachelint.catalogue import load_catalogue

    catalogue = load_catalogue()
    if output_format == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "fixable": r.fixable, "url": r.url} for r in catalogue.rules]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(r.name) for r in catalogue.rules)
    for r in catalogue.rules:
        mark = "[*]" if r.fixable else "   "
        click.echo(f"{r.code}  {r.name:<{width}}  {r.severity:<6}  {mark} {r.summary}")


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Print the docs of one rule (by code or name)."""
    from cachelint.catalogue import load_catalogue

    catalogue = load_catalogue()
    rule = catalogue.get(code) or catalogue.get(code.upper())
    if rule is None:
        _fail(f"unknown rule `{code}`; run `cachelint rules` for the list")
    click.echo(rule.docs_markdown())
