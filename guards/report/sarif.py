"""SARIF 2.1.0 output (placeholder until the GitHub integration issue lands)."""

from __future__ import annotations

from typing import Any

from guards.errors import GuardsError


def render(report: Any) -> str:
    raise GuardsError("--format sarif is not implemented yet; use json")
