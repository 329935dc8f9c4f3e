"""The four guards, side by side; each exposes NAME, RULES and run(ctx, cfg).

Guard modules are imported on first use, so a command that runs one guard (or none) does not
pay for the others' dependencies at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from types import ModuleType

from guards.checks.base import Rule


class Registry(MutableMapping[str, ModuleType]):
    """Guard id -> module, in canonical order, imported when first asked for."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._names = dict(modules)
        self._loaded: dict[str, ModuleType] = {}

    def __getitem__(self, guard: str) -> ModuleType:
        if guard not in self._loaded:
            self._loaded[guard] = importlib.import_module(self._names[guard])
        return self._loaded[guard]

    def __setitem__(self, guard: str, module: ModuleType) -> None:
        self._names[guard] = module.__name__
        self._loaded[guard] = module

    def __delitem__(self, guard: str) -> None:
        del self._names[guard]
        self._loaded.pop(guard, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


GUARDS = Registry(
    {
        "skip-set": "guards.checks.skip_set",
        "protected-branch": "guards.checks.protected_branch",
        "manifest-scope": "guards.checks.manifest_scope",
        "spec-ref": "guards.checks.spec_ref",
        "tests-with-code": "guards.checks.tests_with_code",
        "commit-format": "guards.checks.commit_format",
        "suppressions": "guards.checks.suppressions",
        "dependencies": "guards.checks.dependencies",
    }
)


def rule(rule_id: str) -> Rule | None:
    """The statement and remediation of RULE_ID, whichever guard owns it."""
    for module in GUARDS.values():
        found: Rule | None = module.RULES.get(rule_id)
        if found:
            return found
    return None


def all_rules() -> dict[str, dict[str, Rule]]:
    return {name: dict(module.RULES) for name, module in GUARDS.items()}
