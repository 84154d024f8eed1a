"""Check a list of discovered files: cache lookups, then the misses in process or in a pool.

The unit of work is `analyse_file`: read one file, run the engine, turn an exception into an
internal-error record. It runs unchanged in this process or in a worker, so a parallel run gives
the same results as a serial one; results are collected in candidate order either way.
"""

from __future__ import annotations

import gc
import os
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from cachelint.cache import CacheKey, ResultCache, context_key, digest, tool_fingerprint
from cachelint.catalogue import Catalogue
from cachelint.checks.configfiles import check_config, config_kind
from cachelint.config import Settings
from cachelint.diagnostics import Diagnostic, FileResult
from cachelint.discovery import Candidate
from cachelint.engine import ModuleContext, check_source, merge_foreign
from cachelint.knowledge import Knowledge
from cachelint.notebooks import BrokenNotebook, is_notebook, notebook_text, to_cells
from cachelint.engine.project import ModuleNames
from cachelint.project import Scan, internal_error, plan, scan_file, scan_key_name, summarise

# Below this many files to analyse, starting worker processes costs more than it saves.
POOL_MIN_FILES = 16


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    cache_hits: int = 0
    # The content hash of each file checked, by path, as the run read it; None when a file could
    # not be read or changed while it was checked (cachelint.replay).
    contents: dict[str, str] | None = None

    @property
    def diagnostics(self) -> list[Diagnostic]:
        out = [d for f in self.files for d in f.diagnostics]
        return sorted(out, key=Diagnostic.sort_key)


@dataclass(frozen=True)
class Task:
    """One file to analyse; `knowledge` indexes the table each worker receives once."""

    index: int
    path: str
    display: str
    enabled: frozenset[str]
    knowledge: int
    context: ModuleContext | None = None
    content: str | None = None  # hash of the bytes the project scan saw
    max_size: int | None = None  # `max-file-size`


@dataclass(frozen=True)
class Outcome:
    """What analysing one file produced; `content` is the hash of the bytes analysed (None if unread).

    `diagnostics` also holds findings about values produced in other files (their `filename`
    says which); they are cached with the file that found them and merged at the end.
    """

    index: int
    diagnostics: list[Diagnostic]
    content: str | None = None
    source: str | None = None
    error: str | None = None


def check_candidates(
    candidates: list[Candidate],
    catalogue: Catalogue,
    cache: ResultCache | None = None,
    jobs: int = 1,
    keep_sources: bool = True,
    keep_contents: bool = False,
) -> RunResult:
    """Check every candidate as one project; an exception inside one file is recorded and the run goes on.

    `jobs` is the number of worker processes (0 = one per core); `keep_sources` asks for the
    source text of files with findings, which only the code-frame format needs; `keep_contents`
    for `RunResult.contents`.
    """
    try:
        with fewer_collections():
            return _check_candidates(candidates, catalogue, cache, jobs, keep_sources, keep_contents)
    finally:
        # One pack with every result computed, also those of a run stopped by Ctrl-C.
        if cache is not None:
            cache.flush()


# Collector thresholds while checking: young collections every 50,000 net allocations (Python's
# default is 700, 10, 10).
FEWER_COLLECTIONS = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cycle collector runs less often while files are checked (restored afterwards).

    A parse allocates hundreds of thousands of nodes, none of them in a cycle, and every few
    thousand allocations made the collector walk them all: 0.65 s of a 2,000-file run (0.14 s
    now), 3.0 s of a 1 MB module's 11 s (0.6 s now). Garbage left in cycles is still collected.
    """
    previous = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _check_candidates(
    candidates: list[Candidate], catalogue: Catalogue, cache: ResultCache | None, jobs: int, keep_sources: bool, keep_contents: bool
) -> RunResult:
    found: list[list[Diagnostic] | None] = [None] * len(candidates)
    sources: dict[int, str] = {}
    result = RunResult(contents={} if keep_contents else None)
    contexts = _ContextKeys()
    # Per-file state is kept by candidate index, in lists and small records: a large tree holds
    # one of each per file for the whole run (a list slot costs 8 bytes, a dict entry about 100).
    scans: list[Scan | None] = [None] * len(candidates)  # Python files that were read
    configs: dict[int, str] = {}  # env and settings files: content hash; they are not Python modules
    module_names = ModuleNames()
    for index, candidate in enumerate(candidates):
        path = candidate.path
        enabled = candidate.settings.enabled_for(path)
        if candidate.problem is not None:
            found[index] = unreadable(candidate.display, candidate.problem, catalogue, enabled)
            continue
        try:
            raw = path.read_bytes()
            data = _python_bytes(candidate.display, raw)
            if data is not raw and result.contents is not None:
                result.contents[candidate.file] = digest(raw)  # a notebook: replay compares the file
        except OSError as exc:
            found[index] = unreadable(candidate.display, f"cannot read file: {exc.strerror or exc}; it was not analysed", catalogue, enabled)
            continue
        knowledge = candidate.settings.knowledge
        content = digest(data)
        if config_kind(path) is not None:
            configs[index] = content
            continue
        if cache is None:
            # The candidate's own path string: the scan holds it for the whole run.
            scans[index] = scan_file(candidate.display, candidate.file, module_names(path), data, content, knowledge)
            continue
        # A warm run reads every file's bytes anyway; the scan of unchanged bytes comes from the cache.
        name = module_names(path)
        scan_key = CacheKey(contexts.of(candidate.settings), content, scan_key_name(candidate.file, name), ())
        remembered = cache.get_scan(scan_key)
        scans[index] = scan = scan_file(candidate.display, candidate.file, name, data, content, knowledge, remembered)
        if remembered is None:
            cache.put_scan(scan_key, scan.facts())
    project = plan([s for s in scans if s is not None])

    knowledge_table: list[Knowledge] = []
    knowledge_ids: dict[int, int] = {}
    keys: dict[int, CacheKey] = {}
    codes: dict[frozenset[str], tuple[str, ...]] = {}  # one tuple per set of enabled rules, shared by the keys
    misses: array[int] = array("q")  # indexes; 8 bytes each, where a list holds a 32-byte int object
    for index, candidate in enumerate(candidates):
        scan = scans[index]
        if scan is None and index not in configs:
            continue
        if cache is not None:
            enabled = candidate.settings.enabled_for(candidate.path)
            extra = (project.digest(scan.display), "force" if scan.display in project.force else "") if scan else ()
            content = scan.content if scan else configs[index]
            codes.setdefault(enabled, tuple(sorted(enabled)))
            keys[index] = CacheKey(contexts.of(candidate.settings), content, candidate.display, codes[enabled], extra)
            cached = cache.get(keys[index])
            if cached is not None:
                found[index] = cached
                result.cache_hits += 1
                continue
        misses.append(index)
        knowledge = candidate.settings.knowledge
        if id(knowledge) not in knowledge_ids:
            knowledge_ids[id(knowledge)] = len(knowledge_table)
            knowledge_table.append(knowledge)

    # A file without a sink that calls nothing which sends a request gets only the syntax and
    # suppression check (`check_source`), which reads no summaries: they are built only for what
    # the other misses read across modules, and sent only with their tasks (pickled into each
    # task, they cost more than the check). A file edited since its scan is scanned again by
    # `analyse_file`; if it gained a sink, it is analysed without other modules' summaries.
    analysed: set[int] = set()
    for index in misses:
        scan = scans[index]
        if scan is not None and (scan.has_sink or scan.display in project.force):
            analysed.add(index)
    needed = {d for index in analysed for d in project.closure(candidates[index].display)}
    settings_of = {c.display: c.settings for c in candidates if c.display in needed}
    summary_errors: dict[str, str] = {}
    index_of_project = summarise(project, sorted(needed), lambda path: Path(path).read_bytes(), lambda d: settings_of[d], summary_errors) if needed else None

    def tasks() -> Iterator[Task]:
        # One at a time (never a list of every task): the pool pickles them as they come.
        for index in misses:
            candidate = candidates[index]
            scan = scans[index]
            context = project.context(candidate.display, index_of_project if index in analysed else None) if scan else None
            content = scan.content if scan else configs[index]
            enabled = candidate.settings.enabled_for(candidate.path)
            knowledge = knowledge_ids[id(candidate.settings.knowledge)]
            yield Task(index, candidate.file, candidate.display, enabled, knowledge, context, content, candidate.settings.max_file_size)

    workers = min(worker_count(jobs), len(misses))
    outcomes: Iterable[Outcome]
    if workers > 1 and len(misses) >= POOL_MIN_FILES:
        from cachelint.pool import run_in_pool

        outcomes = run_in_pool(tasks(), len(misses), knowledge_table, catalogue, workers)
    else:
        outcomes = (analyse_file(task, knowledge_table[task.knowledge], catalogue, keep_sources) for task in tasks())
    errors: dict[int, str] = {}
    for outcome in outcomes:  # the pool yields them as they complete
        found[outcome.index] = outcome.diagnostics or None
        if result.contents is not None:
            scan = scans[outcome.index]
            if outcome.content != (scan.content if scan else configs.get(outcome.index)):
                result.contents = None
        if outcome.source is not None:
            sources[outcome.index] = outcome.source
        if outcome.error is not None:
            errors[outcome.index] = outcome.error
        elif cache is not None and outcome.content is not None:
            key = keys[outcome.index]
            cache.put(replace(key, content=outcome.content), outcome.diagnostics)
    # A module whose summary failed and that was not checked itself (or checked without failing).
    failed = {candidates[index].display for index in errors}
    result.internal_errors = [errors[index] for index in sorted(errors)] + [e for d, e in sorted(summary_errors.items()) if d not in failed]

    if result.contents is not None:
        for index, candidate in enumerate(candidates):
            scan = scans[index]
            content = scan.content if scan else configs.get(index)
            if content is None:
                result.contents = None
                break
            result.contents.setdefault(candidate.file, content)
    for index, candidate in enumerate(candidates):
        diagnostics = found[index] or []
        own = [d for d in diagnostics if d.filename == candidate.display]
        foreign = [d for d in diagnostics if d.filename != candidate.display]
        result.files.append(FileResult(candidate.display, own, sources.get(index), foreign))
    paths = {c.display: c.file for c in candidates}  # strings: a Path costs about 500 bytes a file
    merge_foreign(result.files, lambda name: _read_text(paths.get(name)))
    if keep_sources:
        _attach_sources(result.files, paths)
    return result


class _ContextKeys:
    """The shared part of the cache keys, per settings object; the tool fingerprint reads every
    rule file, so it is computed once per set of rule files."""

    def __init__(self) -> None:
        self._tools: dict[tuple[str, ...], str] = {}
        self._contexts: dict[int, str] = {}

    def of(self, settings: Settings) -> str:
        if id(settings) not in self._contexts:
            rule_files = settings.knowledge.files
            if rule_files not in self._tools:
                self._tools[rule_files] = tool_fingerprint(rule_files)
            self._contexts[id(settings)] = context_key(self._tools[rule_files], settings.fingerprint)
        return self._contexts[id(settings)]


def worker_count(jobs: int) -> int:
    """`-j` as a number of processes: 0 means one per core this process may run on."""
    if jobs > 0:
        return jobs
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def analyse_file(task: Task, knowledge: Knowledge, catalogue: Catalogue, keep_source: bool) -> Outcome:
    """Read and check one file; never raises for a problem with the file or inside the engine."""
    try:
        data = Path(task.path).read_bytes()
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}; it was not analysed"
        return Outcome(task.index, unreadable(task.display, reason, catalogue, task.enabled))
    notebook = None
    if is_notebook(task.display):
        try:
            notebook = notebook_text(data)
        except BrokenNotebook as exc:
            return Outcome(task.index, unreadable(task.display, f"{exc}; it was not analysed", catalogue, task.enabled), digest(data))
        data = notebook.text.encode("utf-8")
    context = task.context
    if context is not None and context.has_sink is not None and digest(data) != task.content:
        # The file changed since it was scanned: the scan's prefilter verdict is about other bytes.
        context = replace(context, has_sink=None)
    kind = config_kind(Path(task.path))
    try:
        if kind is not None:
            checked = check_config(data, task.display, kind, catalogue, task.enabled)
        else:
            checked = check_source(data, task.display, knowledge, catalogue, task.enabled, context, task.max_size)
        if notebook is not None:
            # The code frame would need the cell's text; notebooks are shown without one.
            return Outcome(task.index, to_cells(checked.diagnostics + checked.foreign, notebook, task.display), digest(data))
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the run
        return Outcome(task.index, [], error=internal_error(task.display, exc))
    source = checked.source if keep_source and checked.diagnostics else None
    return Outcome(task.index, checked.diagnostics + checked.foreign, digest(data), source)


def unreadable(display: str, reason: str, catalogue: Catalogue, enabled: frozenset[str]) -> list[Diagnostic]:
    """A CL003 finding for a file that could not be read (when CL003 is enabled)."""
    rule = catalogue.get("CL003")
    if rule is None or "CL003" not in enabled:
        return []
    return [rule.point(display, 1, 1, reason[0].upper() + reason[1:])]


def _python_bytes(display: str, data: bytes) -> bytes:
    """What the engine reads for a file: a notebook's code cells, any other file as it is."""
    if not is_notebook(display):
        return data
    try:
        return notebook_text(data).text.encode("utf-8")
    except BrokenNotebook:
        return data


def _read_text(path: str | None) -> str | None:
    from cachelint.engine.parse import decode

    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            text = decode(f.read())
    except OSError:
        return None
    return text if isinstance(text, str) else None


def _attach_sources(files: list[FileResult], paths: dict[str, str]) -> None:
    """Re-read the text of files with findings that came from the cache or a worker (for code
    frames); `paths` maps each file's display name to its path."""
    for checked in files:
        if checked.source is not None or not checked.diagnostics or checked.filename not in paths or is_notebook(checked.filename):
            continue
        text = _read_text(paths[checked.filename])
        if text is not None:
            checked.source = text
