"""Test-wide settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_fast_path_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The start-up fast path's store (cachelint.fastpath) lives in the user's cache folder: the
    suite keeps its own, so it neither fills the developer's with temporary projects nor reads it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield
