"""The pre-commit hooks, run for real by the `pre-commit` program against this repository.

A temporary project's `.pre-commit-config.yaml` points at a committed copy of this working tree
(pre-commit installs hooks from a git revision, and copying keeps the test independent of what is
committed here). `git commit` must be blocked with the finding shown when a cache buster is
staged, and must go through for a clean file. pre-commit builds the hook's virtualenv with pip,
so the first run installs cachelint's dependencies (from pip's cache or the package index).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
# What `pip install .` of the hook repository needs, plus the hook manifest.
HOOK_REPO_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "cachelint", "rules")

NO_PRE_COMMIT = "the pre-commit program is not installed (pip install pre-commit)"


def _missing_for_hook_run() -> str | None:
    """Why the hooks cannot be run here, or None when they can."""
    if shutil.which("git") is None:
        return "git is not installed"
    if importlib.util.find_spec("pre_commit") is None:
        return NO_PRE_COMMIT
    if importlib.util.find_spec("cachelint.cli") is None:
        return "the `cachelint check` CLI (cachelint/cli.py) does not exist yet"
    return None


MISSING = _missing_for_hook_run()
needs_hook_run = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
needs_pre_commit = pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None, reason=NO_PRE_COMMIT)

BUSTER = """\
from datetime import datetime

import anthropic

client = anthropic.Anthropic()
client.messages.create(
    model="claude-sonnet-4-5",
    max_tokens=256,
    system=f"Now: {datetime.now()}",
    messages=[{"role": "user", "content": "Hello"}],
)
"""

CLEAN = """\
import anthropic

client = anthropic.Anthropic()
client.messages.create(
    model="claude-sonnet-4-5",
    max_tokens=256,
    system="You are a helpful assistant.",
    messages=[{"role": "user", "content": "Hello"}],
)
"""


def _environment(pre_commit_home: Path) -> dict[str, str]:
    # No user or system git config (signing, hooks paths, templates), no GIT_* variables from an
    # enclosing git hook, and no SKIP that would switch the hook off.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "SKIP"}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="cachelint tests",
        GIT_AUTHOR_EMAIL="tests@cachelint.invalid",
        GIT_COMMITTER_NAME="cachelint tests",
        GIT_COMMITTER_EMAIL="tests@cachelint.invalid",
        PRE_COMMIT_HOME=str(pre_commit_home),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600
    )


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = _run(["git", *args], cwd, env)
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stdout}"
    return result.stdout.strip()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One pre-commit home for the module, so the hook environment is built only once."""
    return _environment(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding this working tree's package, committed; returns (path, sha)."""
    repo = tmp_path_factory.mktemp("hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in HOOK_REPO_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy2(source, repo / name)
    _git(repo, env, "init", "--quiet")
    _git(repo, env, "add", "--all")
    _git(repo, env, "commit", "--quiet", "--message", "cachelint under test")
    return repo, _git(repo, env, "rev-parse", "HEAD")


@pytest.fixture
def project(tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]) -> Path:
    """A fresh git repository with the `cachelint` and `cachelint-config` hooks installed."""
    repo_path, sha = hook_repo
    config = {"repos": [{"repo": str(repo_path), "rev": sha, "hooks": [{"id": "cachelint"}, {"id": "cachelint-config"}]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    _git(tmp_path, env, "init", "--quiet")
    _git(tmp_path, env, "add", ".pre-commit-config.yaml")
    installed = _run([sys.executable, "-m", "pre_commit", "install"], tmp_path, env)
    assert installed.returncode == 0, installed.stdout
    return tmp_path


@needs_hook_run
def test_commit_with_a_cache_buster_is_blocked(project: Path, env: dict[str, str]) -> None:
    (project / "agent.py").write_text(BUSTER)
    _git(project, env, "add", "agent.py")
    commit = _run(["git", "commit", "--message", "add agent"], project, env)
    assert commit.returncode != 0, f"the hook let the cache buster through:\n{commit.stdout}"
    assert "CL101" in commit.stdout, commit.stdout
    assert "agent.py" in commit.stdout, commit.stdout
    # Nothing was committed.
    assert _run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], project, env).returncode != 0


@needs_hook_run
def test_commit_of_an_env_file_that_switches_caching_off_is_blocked(project: Path, env: dict[str, str]) -> None:
    (project / ".env").write_text("ANTHROPIC_MODEL=claude-sonnet-4-5\nDISABLE_PROMPT_CACHING=1\n")
    _git(project, env, "add", ".env")
    commit = _run(["git", "commit", "--message", "add env"], project, env)
    assert commit.returncode != 0, f"the hook let the switch through:\n{commit.stdout}"
    assert ".env:2:1: CL410" in commit.stdout, commit.stdout


@needs_hook_run
def test_commit_of_a_clean_file_passes(project: Path, env: dict[str, str]) -> None:
    (project / "agent.py").write_text(CLEAN)
    _git(project, env, "add", "agent.py")
    commit = _run(["git", "commit", "--message", "add agent"], project, env)
    assert commit.returncode == 0, f"the hook blocked a clean file:\n{commit.stdout}"
    assert "cachelint" in commit.stdout and "Passed" in commit.stdout, commit.stdout
    assert _git(project, env, "log", "--format=%s") == "add agent"


@needs_pre_commit
def test_hook_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(REPO_ROOT / ".pre-commit-hooks.yaml"))}
    assert hooks["cachelint"]["entry"] == "cachelint check --force-exclude"
    assert hooks["cachelint-fix"]["entry"] == "cachelint check --fix --force-exclude"
    assert hooks["cachelint-config"]["entry"] == "cachelint check --force-exclude"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["require_serial"] is True
        assert hook["minimum_pre_commit_version"] == "2.9.2"
    assert hooks["cachelint"]["types_or"] == hooks["cachelint-fix"]["types_or"] == ["python", "pyi", "jupyter"]
    assert hooks["cachelint-config"]["types"] == ["text"]


CONFIG_LIKE_PATHS = [
    ".env", "app/.env", ".env.local", "deploy/.env.production", "prod.env", "svc/staging.env",
    ".claude/settings.json", "repo/.claude/settings.local.json", "managed-settings.json", "etc/managed-settings.json",
    "compose.yaml", "docker-compose.yml", "ops/docker-compose.override.yaml", "compose.prod.yml",
    ".github/workflows/ci.yml", "sub/.github/workflows/release.yaml",
    # Look-alikes that are not config files cachelint reads.
    "env", ".envrc", "settings.json", "claude/settings.json", ".claude/settings.json.bak", "my-compose.yml",
    "compose.json", "workflows/ci.yml", ".github/ci.yml", ".github/workflows/sub/ci.yml", "agent.py",
    "notebook.ipynb", "environment.yml", "a.env.py",
]


@needs_pre_commit
@pytest.mark.parametrize("path", CONFIG_LIKE_PATHS)
def test_config_hook_selects_exactly_the_config_files_cachelint_reads(path: str) -> None:
    import re

    from pre_commit.clientlib import load_manifest

    from cachelint.checks.configfiles import config_kind

    hook = next(h for h in load_manifest(str(REPO_ROOT / ".pre-commit-hooks.yaml")) if h["id"] == "cachelint-config")
    assert bool(re.search(hook["files"], path)) == (config_kind(Path(path)) is not None)
