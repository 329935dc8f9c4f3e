"""Run each guard's probes with one detection disabled at a time; print the table.

Usage: python -m tests.mutants.run [GUARD ...]
A mutant is "killed" when at least one probe of its guard gets the wrong verdict.
"""

from __future__ import annotations

import importlib
import re
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
    "waivers": "waivers",  # review/policy waivers and exemptions: the waiver-*.yaml probes
    "tests-with-code": "tests_with_code",
    "commit-format": "commit_format",
    "suppressions": "suppressions",
    "dependencies": "dependencies",
    "plumbing": "plumbing",  # fail-closed plumbing of every guard: error-*/hostile-*.yaml probes
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
    if guard == "waivers":
        return [str(p) for p in sorted(PROBES.glob("*/waiver-*.yaml"))]
    if guard == "plumbing":
        found = {*PROBES.glob("*/error-*.yaml"), *PROBES.glob("*/hostile-*.yaml")}
        return [str(p) for p in sorted(found)]
    return [str(p) for p in sorted((PROBES / guard).glob("*.yaml"))]


CHUNK = 16  # probes per round: a mutant is killed by one red probe, so most stop in round one


def killers(guard: str, target: str, replacement: Any) -> list[str]:
    """Probes that turn red with TARGET replaced (workers fork with the patch in place).

    Probes run in rounds, likeliest killers first (names sharing a word with the target's
    module, must-fail before must-pass); the sweep stops after the first round with a red
    probe. Only a survivor costs a run of every probe, and a survivor is what must be seen.
    """
    files = likeliest_first(probe_files(guard), target)
    with patched(target, replacement):
        for start in range(0, len(files), CHUNK):
            outcomes = run_all(files[start : start + CHUNK])
            red = [Path(o.probe.path).stem for o in outcomes if not o.ok]
            if red:
                return red
    return []


def likeliest_first(files: list[str], target: str) -> list[str]:
    module = target.partition(":")[0].lower()
    words = {w.removesuffix("s") for w in re.split(r"[._]", module)} - {"guard", "check", "collect"}

    def rank(path: str) -> tuple[bool, bool, str]:
        parts = Path(path).stem.split("-")
        shared = any(p.removesuffix("s") in words for p in parts[:2])
        return (not shared, "fail" not in parts and "error" not in parts, path)

    return sorted(files, key=rank)


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
