"""Shared fixtures: every test's git runs with an isolated configuration, and no setting of
the machine's own reaches guards (``GUARDS_*``: a ``GUARDS_CACHE_DIR=off`` in the shell turned
the fact cache's tests into failures); a test that wants one sets it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from guards.core.git import IDENTITY


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    for key in list(os.environ):
        if key.startswith(("GITHUB_", "GUARDS_")) or key == "GH_TOKEN":
            monkeypatch.delenv(key)
    yield
