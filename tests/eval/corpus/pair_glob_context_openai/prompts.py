"""Loads project rule files for the assistant (send side in client.py)."""
from pathlib import Path

HEADER = "You are the team's review assistant. Apply every rule below strictly."


def rule_files(root: Path) -> list[Path]:
    return list(root.glob("rules/*.md"))  # expect: CL202


def render_rules(root: Path) -> str:
    chunks = [HEADER]
    for path in rule_files(root):
        chunks.append(f"### {path.stem}\n{path.read_text(encoding='utf-8')}")
    return "\n\n".join(chunks)


def rule_names(root: Path) -> list[str]:
    return [path.stem for path in rule_files(root)]


__all__ = ["rule_files", "render_rules", "rule_names"]
