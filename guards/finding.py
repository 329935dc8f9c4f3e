"""Findings, guard results and the exit code they add up to."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import field

from guards.core.records import record


class Outcome(str, enum.Enum):
    """The outcome of one rule on one subject."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"  # e.g. "not readable with this token": neither pass nor fail
    ERROR = "error"
    WAIVED = "waived"  # a failure a human waived: reported with who and why, not failing


class Status(str, enum.Enum):
    """The verdict of one guard."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    NOT_APPLICABLE = "not-applicable"


@record
class Waiver:
    """Who waived a finding and why; source is review, policy or exempt."""

    by: str
    reason: str
    source: str


@record
class Finding:
    """One rule's outcome on one subject (a file, a test, a branch, a citation)."""

    rule: str
    outcome: Outcome
    message: str
    path: str | None = None
    line: int | None = None
    test: str | None = None
    waiver: Waiver | None = None  # set only on outcome WAIVED

    @property
    def failed(self) -> bool:
        return self.outcome in (Outcome.FAIL, Outcome.ERROR)


@record
class GuardResult:
    """The findings of one guard and its verdict."""

    guard: str
    findings: tuple[Finding, ...] = ()
    applicable: bool = True
    elapsed: float = field(default=0.0, compare=False)
    note: str = ""  # why the guard was not applicable

    @property
    def status(self) -> Status:
        outcomes = {f.outcome for f in self.findings}
        if Outcome.ERROR in outcomes:
            return Status.ERROR
        if Outcome.FAIL in outcomes:
            return Status.FAIL
        return Status.PASS if self.applicable else Status.NOT_APPLICABLE


def exit_code(results: Sequence[GuardResult]) -> int:
    """0 all pass, 1 a violation, 2 could not evaluate (an error beats a violation)."""
    statuses = {r.status for r in results}
    if Status.ERROR in statuses:
        return 2
    return 1 if Status.FAIL in statuses else 0


def is_ok(results: Sequence[GuardResult]) -> bool:
    return exit_code(results) == 0
