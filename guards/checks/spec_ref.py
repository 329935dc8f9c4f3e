"""spec-ref (placeholder until its issue lands): refuses to pass."""

from __future__ import annotations

from guards.checks.base import Rule
from guards.config import Config
from guards.core.context import Context
from guards.errors import GuardsError
from guards.finding import Finding

NAME = "spec-ref"
RULES: dict[str, Rule] = {}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    raise GuardsError("spec-ref is not implemented yet; run with --only to choose other guards")
