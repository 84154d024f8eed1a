"""Where the shipped `rules/` folder is: inside the wheel, or at the repository root in development."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    """The directory holding the shipped rule data (`sources.yaml`, `catalogue/`, ...)."""
    package = Path(__file__).resolve().parent
    installed = package / "_rules"
    if installed.is_dir():
        return installed
    return package.parent / "rules"
