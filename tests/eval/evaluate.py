"""Measure cachelint's precision and recall per rule on the annotated corpus.

Expected findings are written in the corpus itself, as a trailing comment on the line
where the volatile value is produced (or, for structural rules, on the first line of the
offending statement)::

    now = datetime.now()  # expect: CL101
    enabled = set(a) | set(b)  # expect: CL201, CL203

The script runs ``cachelint check --output-format json --no-cache --exit-zero <corpus>``,
matches findings to expectations by (file, line, code) and prints a table per rule.

Usage::

    python tests/eval/evaluate.py                       # table for every rule the corpus annotates
    python tests/eval/evaluate.py --rules CL101,CL102   # only these rules
    python tests/eval/evaluate.py --json                # the same as JSON
    python tests/eval/evaluate.py --min-precision 0.95 --min-recall 0.90   # gate (exit 1)

A pytest test can call ``evaluate(corpus, rules)`` directly.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tokenize
from pathlib import Path
from typing import Any, Iterable

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
DEFAULT_CORPUS = HERE / "corpus"

EXPECT_RE = re.compile(r"#\s*expect:\s*(.*)$")
CODE_RE = re.compile(r"^CL\d{3}$")
# Config files cachelint reads besides Python (`.env`, Claude Code settings, compose, workflows).
CONFIG_NAME_RE = re.compile(r"(\.env(\..+)?|.+\.env|.+\.json|.+\.ya?ml)")
# Expectations for files that cannot hold a comment (JSON): `path:line: CODE` per line.
EXPECT_FILE = "expect.txt"
EXPECT_LINE_RE = re.compile(r"^(?P<file>[^:#]+):(?P<line>\d+):\s*(?P<code>\S+)\s*$")

Key = tuple[str, int, str]  # (path relative to the corpus, 1-based line, code)


class EvaluationError(RuntimeError):
    """The analyzer could not be run or its output could not be read."""


# --------------------------------------------------------------------------- expectations


def _comments(source: str) -> Iterable[tuple[int, str]]:
    """Yield (line, text) for every comment token (so '# expect:' inside strings is ignored)."""
    reader = io.StringIO(source).readline
    try:
        for tok in tokenize.generate_tokens(reader):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise EvaluationError(f"cannot tokenize corpus file: {exc}") from exc


def corpus_files(corpus: Path) -> list[Path]:
    """The files of a corpus that cachelint checks: Python files and config files."""
    return sorted(p for p in corpus.rglob("*") if p.is_file() and (p.suffix == ".py" or CONFIG_NAME_RE.fullmatch(p.name)))


def _config_comments(source: str) -> Iterable[tuple[int, str]]:
    """(line, text) of `#` comments in a `.env` or YAML file (JSON has none)."""
    for line, text in enumerate(source.splitlines(), start=1):
        match = re.search(r"(?:^|\s)(#.*)$", text)
        if match:
            yield line, match.group(1)


def _listed_expectations(corpus: Path) -> set[Key]:
    """The corpus's `expect.txt`: expectations for files that cannot hold a comment (JSON)."""
    listed = corpus / EXPECT_FILE
    expected: set[Key] = set()
    for number, text in enumerate(listed.read_text(encoding="utf-8").splitlines() if listed.exists() else [], start=1):
        if not text.strip() or text.startswith("#"):
            continue
        match = EXPECT_LINE_RE.match(text)
        if match is None or not CODE_RE.match(match["code"]):
            raise EvaluationError(f"{EXPECT_FILE}:{number}: expected `path:line: CODE`, got {text!r}")
        expected.add((match["file"], int(match["line"]), match["code"]))
    return expected


def parse_expectations(corpus: Path) -> set[Key]:
    """Read every ``# expect: CLnnn[, CLnnn...]`` comment under *corpus*, and its `expect.txt`."""
    corpus = corpus.resolve()
    expected = _listed_expectations(corpus)
    for path in corpus_files(corpus):
        rel = path.relative_to(corpus).as_posix()
        source = path.read_text(encoding="utf-8")
        try:
            comments = list(_comments(source) if path.suffix == ".py" else _config_comments(source))
        except EvaluationError as exc:
            raise EvaluationError(f"{rel}: {exc}") from exc
        for line, text in comments:
            match = EXPECT_RE.search(text)
            if not match:
                continue
            codes = [c.strip() for c in match.group(1).split(",") if c.strip()]
            for code in codes:
                if not CODE_RE.match(code):
                    raise EvaluationError(f"{rel}:{line}: malformed expectation {code!r}")
                expected.add((rel, line, code))
    return expected


# --------------------------------------------------------------------------- findings


def run_cachelint(corpus: Path, pass_dir: bool = False) -> list[dict[str, Any]]:
    """Run the analyzer on *corpus* and return its JSON findings.

    By default every Python and config file of the corpus is passed explicitly: the repository's
    ``[tool.cachelint] extend-exclude`` lists ``tests/eval`` (so that ``cachelint check .``
    stays quiet), and, as in Ruff, exclusions apply to files found by walking a directory
    but never to files named on the command line. ``pass_dir=True`` passes the directory.
    """
    targets = [str(corpus)] if pass_dir else [str(p) for p in corpus_files(corpus)]
    cmd = [
        sys.executable, "-m", "cachelint", "check",
        "--output-format", "json", "--no-cache", "--exit-zero",
        *targets,
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
    )
    proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise EvaluationError(
            f"cachelint exited with {proc.returncode}: {' '.join(cmd)}\n{proc.stderr.strip()}"
        )
    try:
        data = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"cachelint did not print JSON: {exc}\n{proc.stdout[:500]}") from exc
    if not isinstance(data, list):
        raise EvaluationError("cachelint JSON output is not an array")
    return data


def _relative(filename: str, corpus: Path, cwd: Path) -> str | None:
    path = Path(filename)
    if not path.is_absolute():
        path = cwd / path
    try:
        return path.resolve().relative_to(corpus.resolve()).as_posix()
    except ValueError:
        return None


def finding_keys(findings: list[dict[str, Any]], corpus: Path, cwd: Path = REPO_ROOT) -> set[Key]:
    """Turn analyzer findings into (file, line, code) keys relative to *corpus*."""
    keys: set[Key] = set()
    for item in findings:
        try:
            code = str(item["code"])
            row = int(item["location"]["row"])
            filename = str(item["filename"])
        except (KeyError, TypeError, ValueError) as exc:
            raise EvaluationError(f"malformed finding {item!r}") from exc
        rel = _relative(filename, corpus, cwd)
        if rel is None:
            continue  # outside the corpus (should not happen)
        keys.add((rel, row, code))
    return keys


# --------------------------------------------------------------------------- scoring


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


def _score(expected: set[Key], found: set[Key]) -> dict[str, Any]:
    tp = expected & found
    fp = found - expected
    fn = expected - found
    # precision = 1.0 when nothing is found (no false alarm); but an analyzer that finds
    # nothing for a rule with expectations gets 0.0, so silence is never rewarded.
    precision = _ratio(len(tp), len(found), 1.0 if not expected else 0.0)
    recall = _ratio(len(tp), len(expected), 1.0)
    return {
        "expected": len(expected),
        "found": len(found),
        "tp": len(tp),
        "fp": len(fp),
        "fn": len(fn),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "false_positives": [f"{f}:{line}: {code}" for f, line, code in sorted(fp)],
        "false_negatives": [f"{f}:{line}: {code}" for f, line, code in sorted(fn)],
    }


def evaluate(
    corpus: Path,
    rules: set[str] | None = None,
    *,
    findings: list[dict[str, Any]] | None = None,
    cwd: Path = REPO_ROOT,
    pass_dir: bool = False,
) -> dict[str, Any]:
    """Score cachelint on *corpus*.

    *rules* selects the rules to score; ``None`` means every rule annotated in the corpus.
    Findings of other rules are ignored (counted in ``ignored_findings``). *findings* lets a
    caller pass analyzer JSON output instead of running the CLI; relative filenames in it are
    resolved against *cwd*.
    """
    corpus = Path(corpus).resolve()
    expected_all = parse_expectations(corpus)
    if findings is None:
        findings = run_cachelint(corpus, pass_dir=pass_dir)
    found_all = finding_keys(findings, corpus, cwd)

    selected = set(rules) if rules else {code for _, _, code in expected_all}
    expected = {k for k in expected_all if k[2] in selected}
    found = {k for k in found_all if k[2] in selected}

    per_rule = {
        code: _score({k for k in expected if k[2] == code}, {k for k in found if k[2] == code})
        for code in sorted(selected)
    }
    total = _score(expected, found)
    files = [p for p in corpus_files(corpus) if p.name != "__init__.py"]
    return {
        "corpus": str(corpus),
        "files": len(files),
        "rules": per_rule,
        "total": total,
        "ignored_findings": len(found_all - found),
    }


# --------------------------------------------------------------------------- CLI


def _table(result: dict[str, Any]) -> str:
    head = f"{'rule':<8}{'expected':>9}{'found':>7}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}"
    lines = [f"corpus: {result['corpus']} ({result['files']} files)", head, "-" * len(head)]

    def row(name: str, s: dict[str, Any]) -> str:
        return (f"{name:<8}{s['expected']:>9}{s['found']:>7}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}"
                f"{s['precision']:>11.3f}{s['recall']:>8.3f}")

    for code, score in result["rules"].items():
        lines.append(row(code, score))
    lines.append("-" * len(head))
    lines.append(row("total", result["total"]))
    if result["ignored_findings"]:
        lines.append(f"({result['ignored_findings']} findings of unselected rules ignored)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus directory")
    parser.add_argument("--rules", help="comma-separated rule codes to score, e.g. CL101,CL102")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--findings", type=Path,
                        help="read analyzer JSON output from this file instead of running cachelint")
    parser.add_argument("--pass-dir", action="store_true",
                        help="pass the corpus directory to cachelint instead of its files")
    parser.add_argument("--min-precision", type=float, help="fail if any selected rule is below")
    parser.add_argument("--min-recall", type=float, help="fail if any selected rule is below")
    args = parser.parse_args(argv)

    rules = {r.strip().upper() for r in args.rules.split(",") if r.strip()} if args.rules else None
    findings = None
    if args.findings:
        findings = json.loads(args.findings.read_text(encoding="utf-8"))
    try:
        result = evaluate(
            args.corpus, rules, findings=findings, pass_dir=args.pass_dir,
            cwd=Path.cwd() if args.findings else REPO_ROOT,
        )
    except EvaluationError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2

    print(json.dumps(result, indent=2) if args.json else _table(result))

    if args.min_precision is None and args.min_recall is None:
        return 0
    failing = [
        code for code, s in result["rules"].items()
        if (args.min_precision is not None and s["precision"] < args.min_precision)
        or (args.min_recall is not None and s["recall"] < args.min_recall)
    ]
    if not failing:
        return 0
    out = sys.stderr
    print(f"\nbelow threshold: {', '.join(failing)}", file=out)
    fps = [e for s in result["rules"].values() for e in s["false_positives"]]
    fns = [e for s in result["rules"].values() for e in s["false_negatives"]]
    print(f"false positives ({len(fps)}):", file=out)
    for entry in fps:
        print(entry, file=out)
    print(f"false negatives ({len(fns)}):", file=out)
    for entry in fns:
        print(entry, file=out)
    return 1


if __name__ == "__main__":
    sys.exit(main())
