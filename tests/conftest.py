"""Shared fixtures: every test's git runs with an isolated configuration."""

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
        if key.startswith("GITHUB_") or key in ("GUARDS_TICKET", "GH_TOKEN"):
            monkeypatch.delenv(key)
    yield
