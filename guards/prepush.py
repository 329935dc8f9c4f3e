"""guards prepush (placeholder until its issue lands)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guards.errors import GuardsError

__all__ = ["Mapping", "Sequence"]


def main(remote: str, url: str, stdin: str, repo: str, env: Mapping[str, str]) -> int:
    raise GuardsError("this command is not implemented yet")
