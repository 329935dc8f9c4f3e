"""guards audit (placeholder until its issue lands)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guards.errors import GuardsError

__all__ = ["Mapping", "Sequence"]


def main(
    slug: str,
    branches: Sequence[str],
    config_path: str | None,
    fmt: str | None,
    output: str | None,
    env: Mapping[str, str],
) -> int:
    raise GuardsError("this command is not implemented yet")
