"""Base's test run against head's: what ran at base and did not run at head (pure).

- ran at base (passed, failed, error, xpassed), skipped or xfailed at head -> ``grown``
  (xfailed only when xfail counts as a skip);
- ran at base, absent from head while its definition is still there -> ``vanished``
  (``defined`` is injected: the caller decides from the static collector or the diff);
- absent with its definition gone -> ``removed``;
- collected statically at head as not skipped but absent from head's report -> ``unseen``
  (the cross-check: a session ended early, ``--collect-only``, a doctored report).

The trap: identities are compared after base's file renames are applied, so a moved test
file is the same test, not one removed and one born.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from guards.collect.reports.model import RunReport, RunTest


@dataclass(frozen=True)
class Grown:
    base: RunTest
    head: RunTest


@dataclass(frozen=True)
class Verdict:
    grown: tuple[Grown, ...] = ()
    vanished: tuple[RunTest, ...] = ()
    removed: tuple[RunTest, ...] = ()
    unseen: tuple[str, ...] = ()
    ran_base: int = 0
    ran_head: int = 0


def rename_id(identity: str, renames: Mapping[str, str]) -> str:
    path, sep, rest = identity.partition("::")
    return renames.get(path, path) + sep + rest if sep else identity


def compare(
    base: RunReport,
    head: RunReport,
    defined: Callable[[RunTest], bool],
    renames: Mapping[str, str],
    xfail_counts: bool,
) -> Verdict:
    grown: list[Grown] = []
    vanished: list[RunTest] = []
    removed: list[RunTest] = []
    for identity, before in sorted(base.ran.items()):
        after = head.tests.get(rename_id(identity, renames))
        if after is None:
            (vanished if defined(before) else removed).append(before)
        elif not after.ran and (xfail_counts or after.outcome != "xfailed"):
            grown.append(Grown(before, after))
    return Verdict(tuple(grown), tuple(vanished), tuple(removed), (), len(base.ran), len(head.ran))


def unseen(static_run: Collection[str], head: RunReport) -> tuple[str, ...]:
    """Node ids the static collector says run at head that head's report does not hold.

    A static id keyed by function (``test_f`` for a test whose params are unknown) is seen
    when any ``test_f[...]`` is in the report.
    """
    functions = {t.partition("[")[0] for t in head.tests}
    return tuple(
        sorted(
            t for t in static_run if t not in head.tests and t.partition("[")[0] not in functions
        )
    )
