"""A non-editable wheel ships `rules/` and the installed package finds and uses it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_contains_rules_and_works_when_installed(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("cachelint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("cachelint/_rules/sources.yaml", "cachelint/_rules/sinks.yaml", "cachelint/_rules/catalogue/CL101.yaml"):
        assert shipped in names
    assert not any(n.startswith("rules/") for n in names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(
        "import anthropic, time\nclient = anthropic.Anthropic()\n"
        "client.messages.create(model='m', max_tokens=1, system=str(time.time()), messages=[])\n"
    )
    # The extracted wheel comes first on the path, so the repository checkout is not used.
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [sys.executable, "-c", "import cachelint.rulefiles as r; print(r.rules_dir())"],
        cwd=project, env=env, capture_output=True, text=True, check=True, timeout=60,
    )
    assert Path(probe.stdout.strip()) == site / "cachelint" / "_rules"
    run = subprocess.run(
        [sys.executable, "-m", "cachelint", "check", "--no-cache", "--output-format", "concise", "app.py"],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert "app.py:3:" in run.stdout and "CL101" in run.stdout
