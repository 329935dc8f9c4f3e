"""Run each guard's probes with one detection disabled at a time; print the table.

Usage: python -m tests.mutants.run [GUARD ...]
A mutant is "killed" when at least one probe of its guard gets the wrong verdict.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from guards.probe.run import run_all

PROBES = Path(__file__).resolve().parent.parent / "probes"
MODULES = {
    "manifest-scope": "manifest_scope",
    "skip-set": "skip_set",
    "spec-ref": "spec_ref",
    "protected-branch": "protected_branch",
    "suppressions": "suppressions",
    "dependencies": "dependencies",
}


def mutants(guard: str) -> list[tuple[str, str, Any]]:
    try:
        module = importlib.import_module(f"tests.mutants.{MODULES[guard]}")
    except ModuleNotFoundError:
        return []
    return list(module.MUTANTS)


@contextmanager
def patched(target: str, replacement: Any) -> Iterator[None]:
    """Set module:attr (or module:Class.attr) to REPLACEMENT for the duration."""
    module_name, _, dotted = target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *parents, attr = dotted.split(".")
    for name in parents:
        owner = getattr(owner, name)
    original = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
    setattr(owner, attr, replacement)
    try:
        yield
    finally:
        setattr(owner, attr, original)


def probe_files(guard: str) -> list[str]:
    return [str(p) for p in sorted((PROBES / guard).glob("*.yaml"))]


def killers(guard: str, target: str, replacement: Any) -> list[str]:
    """The probes that turn red with TARGET replaced (workers fork with the patch in place)."""
    with patched(target, replacement):
        outcomes = run_all(probe_files(guard))
    return [Path(o.probe.path).stem for o in outcomes if not o.ok]


def table(guards: list[str], out: Callable[[str], None] = print) -> bool:
    every_killed = True
    out("| guard | disabled detection | probes that turned red |")
    out("|---|---|---|")
    for guard in guards:
        for what, target, replacement in mutants(guard):
            red = killers(guard, target, replacement)
            every_killed &= bool(red)
            shown = ", ".join(red[:4]) + (f" (+{len(red) - 4} more)" if len(red) > 4 else "")
            out(f"| {guard} | {what} | {shown or 'NONE: survived'} |")
    return every_killed


if __name__ == "__main__":
    started = time.perf_counter()
    ok = table(sys.argv[1:] or list(MODULES))
    print(
        f"\n{time.perf_counter() - started:.1f}s; " + ("every mutant killed" if ok else "SURVIVORS")
    )
    sys.exit(0 if ok else 1)
