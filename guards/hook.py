"""guards hook (placeholder until its issue lands)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guards.errors import GuardsError

__all__ = ["Mapping", "Sequence"]


def install(repo: str, *, with_run: bool = True) -> int:
    raise GuardsError("this command is not implemented yet")
