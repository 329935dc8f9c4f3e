"""Pure verdicts of tests-with-code: is a change implementation, is a test change real, is an
existing test weakened. No git here: the caller passes both sides' Readings.

A real test change adds or changes a test unit that holds at least one real assertion: its
fingerprint (normalized body) is not among the fingerprints of the tests the PR's changed files
held at base. A comment-only edit, a renamed file and a test moved unchanged add nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from guards.checks.tests_with_code.model import Reading, Unit
from guards.checks.tests_with_code.pysource import MAX_DEPTH as MAX_HELPER_DEPTH
from guards.checks.tests_with_code.source import only_deletes
from guards.finding import Finding, Outcome

WEAK = "tests_not_weakened"


def implementation_changed(status: str, old: Reading, new: Reading) -> str | None:
    """Why the change is implementation, or None (no change of code, or only deletions)."""
    if status == "D" or not new.code.strip():
        return None
    if status in ("A", "C"):
        return "added" if status == "A" else "copied"
    if old.parsed and new.parsed and old.code == new.code:
        return None
    if old.parsed and new.parsed and only_deletes(old, new):
        return None
    return "modified" if old.parsed and new.parsed else "modified (not parsed: any change counts)"


def new_tests(units: tuple[Unit, ...], known: set[str]) -> list[Unit]:
    """The units with a real assertion whose body is not among the KNOWN (base) bodies."""
    return [u for u in units if u.real > 0 and u.fingerprint not in known]


def weakened(path: str, old: Reading, new: Reading, deleted: bool) -> Iterator[Finding]:
    """tests_not_weakened findings for one test file (or a Rust file's test module)."""
    if not old.units:
        return
    if deleted:
        yield _weak(path, f"{path}: test file deleted with {len(old.units)} test(s)", 0)
        return
    if not new.units:
        yield _weak(path, f"{path}: every test removed ({len(old.units)} at base)", 0)
        return
    after = {u.name: u for u in new.units}
    bodies = {u.fingerprint for u in new.units}
    for unit in old.units:
        if unit.name in after:
            yield from _compare(path, unit, after[unit.name])
        elif unit.fingerprint not in bodies:
            yield _weak(path, f"{path}: test {clean(unit.name)} removed", unit.line, unit.name)


def _compare(path: str, old: Unit, new: Unit) -> Iterator[Finding]:
    name = clean(new.name)
    if old.deep or new.deep:
        message = (
            f"{path}: test {name} calls helpers more than {MAX_HELPER_DEPTH} levels deep; "
            "whether it still asserts cannot be counted: call the asserting helper nearer the test"
        )
        yield _weak(path, message, new.line, new.name)
    if old.real > 0 and new.real == 0:
        yield _weak(path, f"{path}: test {name} {_how(old, new)}", new.line, new.name)
    if new.broad > old.broad:
        message = f"{path}: test {name} now expects any exception (broadened from a specific one)"
        yield _weak(path, message, new.line, new.name)


def _how(old: Unit, new: Unit) -> str:
    if new.empty and not old.empty:
        return "body replaced by pass (or emptied)"
    if new.trivial:
        return f"assertions replaced by always-true ones ({old.real} real before, none now)"
    return f"no longer runs an assertion ({old.real} before; an uncalled helper counts for nothing)"


def _weak(path: str, message: str, line: int, test: str | None = None) -> Finding:
    return Finding(
        WEAK, Outcome.FAIL, message, path=path, line=line or None,
        test=f"{path}::{clean(test)}" if test else None,
    )  # fmt: skip # -- a packed call reads better here


def clean(text: str) -> str:
    """A name from the source, on one line: control characters shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)[:200]
