"""Pure comparison of configuration facts: what a head config silences that the base did not.

Sets grow (a new ignored code, a new omitted or excluded path, a rule turned off); ``*.select`` sets
shrink (a selected rule removed); coverage fail_under is lowered or removed; mypy strict is
switched off. Each loosening is one message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

SHRINKS = ("ruff.select", "flake8.select")
WHAT = {
    "ruff.ignore": "ruff ignores",
    "ruff.per-file-ignores": "ruff per-file-ignores adds",
    "flake8.ignore": "flake8 ignores",
    "flake8.per-file-ignores": "flake8 per-file-ignores adds",
    "pylint.disable": "pylint disables",
    "mypy.ignore_errors": "mypy ignore_errors is on for",
    "mypy.ignore_missing_imports": "mypy ignore_missing_imports is on for",
    "mypy.disable_error_code": "mypy disable_error_code adds",
    "coverage.omit": "coverage omits",
    "coverage.exclude": "coverage excludes lines matching",
    "eslint.off": "eslint turns off",
    "tsconfig.off": "tsconfig switches off",
    "ruff.exclude": "ruff excludes",
    "flake8.exclude": "flake8 excludes",
    "mypy.exclude": "mypy excludes",
    "pylint.ignore": "pylint ignores",
    "eslint.ignore": "eslint ignores",
    "tsconfig.exclude": "tsconfig excludes",
    "ruff.select": "ruff no longer selects",
    "flake8.select": "flake8 no longer selects",
}


def loosened(base: dict[str, Any], head: dict[str, Any]) -> Iterator[str]:
    for key in sorted(set(base) | set(head)):
        before, after = base.get(key), head.get(key)
        if key == "coverage.fail_under":
            yield from _lowered(before, after)
        elif key == "mypy.strict":
            yield from ["mypy strict is switched off"] if before and not after else []
        elif key in SHRINKS:
            yield from _entries(key, (before or set()) - (after or set()))
        else:
            yield from _entries(key, (after or set()) - (before or set()))


def _entries(key: str, new: set[str]) -> Iterator[str]:
    if new:
        yield f"{WHAT.get(key, key)} {', '.join(sorted(new))}"


def _lowered(before: float | None, after: float | None) -> Iterator[str]:
    if before is not None and (after is None or after < before):
        shown = "removed" if after is None else f"lowered to {after:g}"
        yield f"coverage fail_under {before:g} is {shown}"
