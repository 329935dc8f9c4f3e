"""guards skips (placeholder until its issue lands)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guards.errors import GuardsError

__all__ = ["Mapping", "Sequence"]


def list_skips(repo: str, rev: str, fmt: str, collector: str) -> int:
    raise GuardsError("this command is not implemented yet")
