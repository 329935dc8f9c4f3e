"""What every guard shares: the Rule record and the not-applicable signal."""

from __future__ import annotations

from typing import NamedTuple

EVALUATED = "guard_evaluated"


class Rule(NamedTuple):
    """A rule reads as a statement that is true when all is well, plus how to fix it."""

    statement: str
    remediation: str


class NotApplicable(Exception):
    """Raised by a guard that has nothing to judge in this run (the reason is reported)."""


def require_opt_in(configured: bool, section: str, purpose: str) -> None:
    """An opt-in guard applies only when guards.yaml at base has its SECTION."""
    if not configured:
        raise NotApplicable(
            f"opt-in: add a {section}: section to guards.yaml (at base) to {purpose}"
        )
