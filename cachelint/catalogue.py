"""The rule catalogue: metadata, docs and examples of every rule, read from `rules/catalogue/`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cachelint.diagnostics import SEGMENTS, SEVERITIES, Diagnostic, Location
from cachelint.rulefiles import rules_dir
from cachelint.yamlfile import DataError, Doc, load_yaml_file

CODE_RE = re.compile(r"^CL[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("what", "why", "example", "use_instead")
_RULE_KEYS = {"code", "name", "severity", "summary", "segment", "fix", "describe", "docs", "examples", "fixable"}


@dataclass(frozen=True)
class Example:
    """A VALID or INVALID snippet; INVALID ones mark expected findings with `# expect: CODE`.

    `file` names the file the snippet is checked as: Python by default, or a config file that a
    rule reads (`.env`, `docker-compose.yml`, ...), written in YAML as `{file: NAME, code: TEXT}`.
    """

    code: str
    valid: bool
    line: int
    file: str = "snippet.py"


@dataclass(frozen=True)
class Rule:
    """One rule's metadata and docs (Ruff's sections)."""

    code: str
    name: str
    severity: str
    summary: str
    segment: str | None
    fix: str
    what: str
    why: str
    example: str
    use_instead: str
    examples: tuple[Example, ...]
    fixable: bool
    url: str
    describe: str = "`{source}`"

    def point(self, filename: str, line: int, column: int, message: str, end: Location | None = None) -> Diagnostic:
        """A finding of this rule at one position, or up to `end` (engine problems, suppressions,
        unreadable files, config-file entries)."""
        return Diagnostic(
            code=self.code,
            name=self.name,
            message=message,
            filename=filename,
            location=Location(line, column),
            end_location=end or Location(line, column),
            severity=self.severity,
            help=self.fix,
            url=self.url,
        )

    def docs_markdown(self) -> str:
        """The rule's docs as Markdown, used by `cachelint rule` and SARIF."""
        return (
            f"# {self.name} ({self.code})\n\n"
            f"Severity: {self.severity}\n\n"
            f"## What it does\n{self.what.strip()}\n\n"
            f"## Why is this bad?\n{self.why.strip()}\n\n"
            f"## Example\n```python\n{self.example.strip()}\n```\n\n"
            f"Use instead:\n```python\n{self.use_instead.strip()}\n```\n"
        )


@dataclass(frozen=True)
class Catalogue:
    """Every rule, sorted by code."""

    rules: tuple[Rule, ...]

    def by_code(self) -> dict[str, Rule]:
        return {r.code: r for r in self.rules}

    def get(self, code_or_name: str) -> Rule | None:
        for rule in self.rules:
            if code_or_name in (rule.code, rule.name):
                return rule
        return None


@lru_cache(maxsize=1)
def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate every `rules/catalogue/*.yaml`; raise DataError naming file and line."""
    base = directory or rules_dir() / "catalogue"
    meta_doc = load_yaml_file(base.parent / "catalogue.yaml")
    docs_base = _require_str(meta_doc, ("docs-url",))
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted(base.glob("*.yaml")):
        rule = _parse_rule(load_yaml_file(path), docs_base)
        for key in (rule.code, rule.name):
            if key in seen:
                raise DataError(str(path), 1, f"`{key}` is already defined in {seen[key]}")
            seen[key] = str(path)
        rules.append(rule)
    rules.sort(key=lambda r: r.code)
    return Catalogue(tuple(rules))


def _parse_rule(doc: Doc, docs_base: str) -> Rule:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "expected a mapping with keys " + ", ".join(sorted(_RULE_KEYS)))
    unknown = sorted(set(data) - _RULE_KEYS)
    if unknown:
        raise doc.error((unknown[0],), f"unknown key `{unknown[0]}`; allowed: {', '.join(sorted(_RULE_KEYS))}")
    code = _require_str(doc, ("code",))
    if not CODE_RE.match(code):
        raise doc.error(("code",), f"`code` must look like CL123, got {code!r}")
    name = _require_str(doc, ("name",))
    if not NAME_RE.match(name):
        raise doc.error(("name",), f"`name` must be kebab-case, got {name!r}")
    severity = _require_str(doc, ("severity",))
    if severity not in SEVERITIES:
        raise doc.error(("severity",), f"`severity` must be one of {', '.join(SEVERITIES)}, got {severity!r}")
    segment = data.get("segment")
    if segment is not None and segment not in SEGMENTS:
        raise doc.error(("segment",), f"`segment` must be one of {', '.join(SEGMENTS)} or absent")
    docs = data.get("docs")
    if not isinstance(docs, dict):
        raise doc.error(("docs",), "`docs` must be a mapping with " + ", ".join(DOC_SECTIONS))
    for section in DOC_SECTIONS:
        _require_str(doc, ("docs", section))
    extra = sorted(set(docs) - set(DOC_SECTIONS))
    if extra:
        raise doc.error(("docs", extra[0]), f"unknown docs section `{extra[0]}`; allowed: {', '.join(DOC_SECTIONS)}")
    examples = _parse_examples(doc)
    fixable = data.get("fixable", False)
    if not isinstance(fixable, bool):
        raise doc.error(("fixable",), "`fixable` must be true or false")
    return Rule(
        code=code,
        name=name,
        severity=severity,
        summary=_require_str(doc, ("summary",)),
        segment=segment,
        fix=_require_str(doc, ("fix",)),
        what=docs["what"],
        why=docs["why"],
        example=docs["example"],
        use_instead=docs["use_instead"],
        examples=examples,
        fixable=fixable,
        url=docs_base.rstrip("/") + "/" + name,
        describe=data.get("describe", "`{source}`"),
    )


def _parse_examples(doc: Doc) -> tuple[Example, ...]:
    raw = doc.data.get("examples", {})
    if not isinstance(raw, dict) or set(raw) - {"valid", "invalid"}:
        raise doc.error(("examples",), "`examples` must be a mapping with `valid` and `invalid` lists")
    out: list[Example] = []
    for kind in ("invalid", "valid"):
        items = raw.get(kind, [])
        if not isinstance(items, list):
            raise doc.error(("examples", kind), f"`examples.{kind}` must be a list of code blocks")
        for i, item in enumerate(items):
            line = doc.line(("examples", kind, i)) or 0
            if isinstance(item, dict) and set(item) == {"file", "code"} and all(isinstance(v, str) and v for v in item.values()):
                out.append(Example(code=item["code"], valid=kind == "valid", line=line, file=item["file"]))
            elif isinstance(item, str):
                out.append(Example(code=item, valid=kind == "valid", line=line))
            else:
                raise doc.error(("examples", kind, i), "each example must be a block of Python code, or `{file: NAME, code: TEXT}`")
    return tuple(out)


def _require_str(doc: Doc, path: tuple[str, ...]) -> str:
    node = doc.data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, str) or not node.strip():
        raise doc.error(path, f"`{'.'.join(path)}` is required and must be a non-empty string")
    return node
