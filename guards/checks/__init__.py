"""The four guards, side by side; each exposes NAME, RULES and run(ctx, cfg)."""

from __future__ import annotations

from types import ModuleType

from guards.checks import manifest_scope, protected_branch, skip_set, spec_ref
from guards.checks.base import Rule

GUARDS: dict[str, ModuleType] = {
    m.NAME: m for m in (skip_set, protected_branch, manifest_scope, spec_ref)
}


def rule(rule_id: str) -> Rule | None:
    """The statement and remediation of RULE_ID, whichever guard owns it."""
    for module in GUARDS.values():
        found: Rule | None = module.RULES.get(rule_id)
        if found:
            return found
    return None


def all_rules() -> dict[str, dict[str, Rule]]:
    return {name: dict(module.RULES) for name, module in GUARDS.items()}
