"""Base's test run against head's: what ran at base and did not run at head (pure).

- ran at base (passed, failed, error, xpassed), skipped or xfailed at head -> ``grown``
  (xfailed only when xfail counts as a skip);
- ran at base, absent from head while its definition is still there -> ``vanished``
  (``defined`` is injected: the caller decides from the static collector or the diff);
- absent with its definition gone -> ``removed``;
- collected statically at head as not skipped but absent from head's report -> ``unseen``
  (the cross-check: a session ended early, ``--collect-only``, a doctored report).

Matrix entries (model.py): when base's reports come from two or more entries, each base
entry is compared with head's entry of the same name, so a test skipped on one entry only is
still found. A base entry with no report at head is ``missing`` (named, with how many tests
ran there, or holding no test). A test absent from its head entry that runs in another one
moved (shards) when it runs in as many entries it did not run in at base as it left, else it
is ``dropped`` from the entries it left (a platform matrix that stopped running it on one
entry). A test reported by several entries is one finding naming them. With one entry at
base, all files are merged as one.

The trap: identities are compared after base's file renames are applied, so a moved test
file is the same test, not one removed and one born.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from guards.collect.reports.model import RunReport, RunTest
from guards.core.records import record


@record
class Grown:
    base: RunTest
    head: RunTest
    entries: tuple[str, ...] = ()  # the matrix entries where it stopped running


@record
class Missing:
    """A matrix entry with a report at base and none at head."""

    entry: str
    ran: int


@record
class Verdict:
    grown: tuple[Grown, ...] = ()
    vanished: tuple[RunTest, ...] = ()
    removed: tuple[RunTest, ...] = ()
    unseen: tuple[str, ...] = ()
    ran_base: int = 0
    ran_head: int = 0
    missing: tuple[Missing, ...] = ()
    dropped: tuple[Grown, ...] = ()  # absent from a matrix entry at head, run in another


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
    grown: dict[str, Grown] = {}
    lost: dict[str, tuple[RunTest, tuple[str, ...]]] = {}  # absent from its entry at head
    for entry, before_tests, after_tests in pairs(base, head):
        for identity, before in sorted(before_tests.items()):
            after = after_tests.get(rename_id(identity, renames))
            if not before.ran:
                continue
            if after is None:
                kept = lost.get(identity, (before, ()))
                lost[identity] = (kept[0], (*kept[1], entry))
            elif not after.ran and (xfail_counts or after.outcome != "xfailed"):
                grown[identity] = _grow(grown.get(identity), before, after, entry)
    gone = [t for i, (t, _) in sorted(lost.items()) if rename_id(i, renames) not in head.tests]
    counts = (len(base.ran), len(head.ran))
    return Verdict(
        tuple(g for _, g in sorted(grown.items())),
        tuple(t for t in gone if defined(t)),
        tuple(t for t in gone if not defined(t)),
        (),
        *counts,
        missing_entries(base, head),
        dropped(base, head, lost, renames),
    )


Pair = tuple[str, Mapping[str, RunTest], Mapping[str, RunTest]]


def pairs(base: RunReport, head: RunReport) -> list[Pair]:
    """(entry, base's tests, head's tests) to compare: entry to entry for a matrix at base
    (entries with a test at head), else the merged sides as the one entry ``""``."""
    if len(base.entries) < 2:
        return [("", base.tests, head.tests)]
    return [
        (e, base.entries[e], head.entries[e]) for e in sorted(base.entries) if head.entries.get(e)
    ]


def missing_entries(base: RunReport, head: RunReport) -> tuple[Missing, ...]:
    """A matrix's base entries with no report at head, or one holding no test."""
    if len(base.entries) < 2:
        return ()
    return tuple(
        Missing(e, sum(t.ran for t in tests.values()))
        for e, tests in sorted(base.entries.items())
        if not head.entries.get(e)
    )


def dropped(
    base: RunReport,
    head: RunReport,
    lost: Mapping[str, tuple[RunTest, tuple[str, ...]]],
    renames: Mapping[str, str],
) -> tuple[Grown, ...]:
    """Tests absent from an entry's report at head that still run in another entry: moved
    when they run in as many new entries as they left (shards), else dropped there."""
    out: list[Grown] = []
    for identity, (before, entries) in sorted(lost.items()):
        key = rename_id(identity, renames)
        after = head.tests.get(key)
        if after is not None and len(entries) > _new_entries(identity, key, base, head):
            out.append(Grown(before, after, entries))
    return tuple(out)


def _new_entries(identity: str, key: str, base: RunReport, head: RunReport) -> int:
    """How many head entries run the test that did not run it at base."""
    return sum(
        1
        for e, tests in head.entries.items()
        if key in tests and tests[key].ran and not _ran(base.entries.get(e, {}).get(identity))
    )


def _ran(test: RunTest | None) -> bool:
    return test is not None and test.ran


def _grow(kept: Grown | None, before: RunTest, after: RunTest, entry: str) -> Grown:
    entries = (*(kept.entries if kept else ()), *((entry,) if entry else ()))
    return Grown(kept.base if kept else before, kept.head if kept else after, entries)


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
