"""Item-for-item agreement of the static collector with real ``pytest --collect-only`` on one
revision of a real project (benchmarks/real_oracle.py; tests/test_real_oracle.py).

Static side: every ``.py`` file of the revision collected one at a time, so a module that is
undecidable (``Undecidable``) is counted as such instead of stopping the run. Pytest side:
``oracle/pytest_runner.collect`` (lenient: a module that fails to import is left out).

Compared: node ids collected by both, by static only, by pytest only (a test keyed by function
because its ids are not static is matched by function); among both, whether each is skipped
by a kind pytest can see at collection (markers, unittest attributes, deselection: run-time
skips are invisible to ``--collect-only``). The trap: items of undecidable modules, and of
modules pytest could not import (a collection error: an optional dependency missing here), are
counted apart, never as agreement or disagreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field

from guards.collect.model import TestItem, Undecidable
from guards.collect.python.collector import Collector, Request
from guards.collect.python.oracle.pytest_runner import PytestItem
from guards.collect.python.skip_forms import MODULE_SKIP
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from guards.core.records import record
from guards.errors import GuardsError

VISIBLE = frozenset(
    {
        "skip",
        "skipif",
        "xfail",
        "unittest-skip",
        "unittest-skipif",
        "unittest-skipunless",
        "expected-failure",
        "deselected",
    }
)
NOT_COLLECTED = frozenset({"not-collected", "ignored", "uncollected"})
MODULE_KINDS = frozenset(MODULE_SKIP.values())


@record
class Static:
    """The static collector's items of a revision and its undecidable modules (path -> why)."""

    items: tuple[TestItem, ...]
    undecidable: dict[str, str] = field(default_factory=dict)


@record
class Agreement:
    both: int
    only_static: tuple[str, ...]
    only_pytest: tuple[str, ...]
    skipped_both: int
    skipped_neither: int
    skipped_only_static: tuple[str, ...]
    skipped_only_pytest: tuple[str, ...]
    undecidable: dict[str, str]
    in_undecidable: int  # pytest items in undecidable modules
    not_imported: tuple[str, ...]  # modules pytest could not import (collection errors)

    @property
    def collected_ratio(self) -> float:
        total = self.both + len(self.only_static) + len(self.only_pytest)
        return self.both / total if total else 1.0

    @property
    def skipped_ratio(self) -> float:
        return (self.skipped_both + self.skipped_neither) / self.both if self.both else 1.0


def collect_static(git: Git, rev: str) -> Static:
    """Every test of REV, one file at a time; undecidable modules recorded, not raised."""
    files = git.list_files(rev)
    collector = Collector(Revision(git, rev, files))
    items: list[TestItem] = []
    undecidable: dict[str, str] = {}
    for path in sorted(p for p in files if p.endswith(".py")):
        try:
            results = collector.collect(Request((path,)))
        except Undecidable as exc:
            undecidable[path] = str(exc)
            continue
        except GuardsError as exc:  # a file that does not parse: pytest errors on it too
            undecidable[path] = str(exc)
            continue
        items += [t for r in results.values() for t in r.tests]
    return Static(tuple(items), undecidable)


def compare(static: Static, found: Iterable[PytestItem]) -> Agreement:
    found = list(found)
    errors = {i.test for i in found if "collect-error" in i.kinds}
    mine, by_function = _static_ids(static.items)
    mine = {n: k for n, k in mine.items() if n.split("::")[0] not in errors}
    theirs = _pytest_ids(found, by_function)
    in_undecidable = {n for n in theirs if n.split("::")[0] in static.undecidable}
    theirs = {n: k for n, k in theirs.items() if n not in in_undecidable}
    both = set(mine) & set(theirs)
    return Agreement(
        both=len(both),
        only_static=tuple(sorted(set(mine) - set(theirs))),
        only_pytest=tuple(sorted(set(theirs) - set(mine))),
        skipped_both=sum(1 for n in both if mine[n] and theirs[n]),
        skipped_neither=sum(1 for n in both if not mine[n] and not theirs[n]),
        skipped_only_static=tuple(sorted(n for n in both if mine[n] and not theirs[n])),
        skipped_only_pytest=tuple(sorted(n for n in both if theirs[n] and not mine[n])),
        undecidable=dict(static.undecidable),
        in_undecidable=len(in_undecidable),
        not_imported=tuple(sorted(errors)),
    )


def _static_ids(tests: Iterable[TestItem]) -> tuple[dict[str, bool], set[str]]:
    items: dict[str, bool] = {}
    by_function: set[str] = set()
    for test in tests:
        kinds = {s.kind for s in test.skips}
        if kinds & NOT_COLLECTED or kinds & MODULE_KINDS:
            continue
        items[test.nodeid] = bool(kinds & VISIBLE)
        if test.by_function:
            by_function.add(test.nodeid)
    return items, by_function


def _pytest_ids(found: Iterable[PytestItem], by_function: set[str]) -> dict[str, bool]:
    items: dict[str, bool] = {}
    for item in found:
        if "::" not in item.test:
            continue
        key = item.test.split("[", 1)[0]
        key = key if key in by_function else item.test
        items[key] = items.get(key, False) or bool(set(item.kinds) & VISIBLE)
    return items
