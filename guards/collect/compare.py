"""Skip set at head against skip set at base (pure set algebra on collected tests).

Identity is the node id (renames of files followed); kind and line are attributes. A test
newly skipped, born skipped, or that stopped being collected while its definition is still
there, grows the set. A test that disappeared with its definition is removed, not skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field

from guards.collect.gone import moved_id, uncollected
from guards.collect.model import EXISTING_ONLY_KINDS, Def, FileResult, Skip, TestItem
from guards.core.records import record

ID_SEPARATORS = ("::", " > ")  # pytest node ids; JS ids (guards/collect/js: path > suite > title)


@record
class Side:
    """The collected tests of the files in scope at one revision."""

    tests: dict[str, TestItem] = field(default_factory=dict)
    dormant: dict[str, TestItem] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    defs: dict[str, tuple[Def, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, results: Iterable[FileResult]) -> Side:
        side = cls()
        for r in results:
            side.tests.update((t.nodeid, t) for t in r.tests)
            side.dormant.update((t.nodeid, t) for t in r.dormant)
            if r.excluded:
                side.excluded[r.path] = r.excluded
            side.defs[r.path] = r.defs
        return side


@record
class Grown:
    """A test in the skip set at head that was not in it at base."""

    test: TestItem
    skip: Skip
    born: bool  # a new test, born skipped


@record
class Comparison:
    grown: tuple[Grown, ...]
    removed: tuple[TestItem, ...]
    compared: int


def rename_id(nodeid: str, renames: Mapping[str, str]) -> str:
    for separator in ID_SEPARATORS:
        path, sep, rest = nodeid.partition(separator)
        if sep and path in renames:
            return renames[path] + sep + rest
    return renames.get(nodeid, nodeid)


def _renamed(nodeid: str, test: TestItem, renames: Mapping[str, str]) -> str:
    """The id at head of a base test: its file's rename followed (path ids or class ids)."""
    moved = rename_id(nodeid, renames)
    return moved if moved != nodeid else moved_id(test, renames)


def compare(base: Side, head: Side, renames: Mapping[str, str], xfail_counts: bool) -> Comparison:
    mapped = {_renamed(n, t, renames): t for n, t in base.tests.items()}
    by_function: dict[str, list[TestItem]] = {}
    for nodeid, test in mapped.items():
        by_function.setdefault(nodeid.split("[", 1)[0], []).append(test)
    gone = [t for n, t in mapped.items() if n not in head.tests and not _function_kept(n, head)]
    moved = {_qualname(t.nodeid) for t in gone if t.counted(xfail_counts)}
    grown: list[Grown] = []
    for nodeid, test in head.tests.items():
        skips = test.counted(xfail_counts)
        if not skips:
            continue
        before = _before(nodeid, test, mapped, by_function)
        if before is None and _qualname(nodeid) in moved:
            continue
        if before is None and all(s.kind in EXISTING_ONLY_KINDS for s in skips):
            continue  # born with a weakening that only an existing test can suffer
        if before is None or not any(_covers(b, skips, xfail_counts) for b in before):
            grown.append(Grown(test, skips[0], before is None))
    removed: list[TestItem] = []
    for test in gone:
        if test.counted(xfail_counts):
            continue
        why = uncollected(test, head, base.defs.get(test.path, ()), renames)
        if why is None:
            removed.append(test)
        else:
            grown.append(Grown(test, why, False))
    return Comparison(tuple(grown), tuple(removed), len(head.tests))


def _covers(before: TestItem, skips: tuple[Skip, ...], xfail_counts: bool) -> bool:
    """BEFORE was in the set already; a weakening at base does not cover a real skip at head."""
    strong = any(s.kind not in EXISTING_ONLY_KINDS for s in skips)
    kinds = [s.kind for s in before.counted(xfail_counts)]
    return any(not strong or k not in EXISTING_ONLY_KINDS for k in kinds)


def _before(
    nodeid: str,
    test: TestItem,
    mapped: Mapping[str, TestItem],
    by_function: Mapping[str, list[TestItem]],
) -> list[TestItem] | None:
    if nodeid in mapped:
        return [mapped[nodeid]]
    variants = by_function.get(test.function_id)
    if variants and (test.by_function or any(v.by_function for v in variants)):
        return variants
    return None


def _function_kept(nodeid: str, head: Side) -> bool:
    """A test keyed by function at base whose function has (param) tests at head is kept."""
    function = nodeid.split("[", 1)[0]
    return (
        function in head.tests
        or any(t.function_id == function and t.by_function for t in head.tests.values())
        or ("[" not in nodeid and any(n.startswith(function + "[") for n in head.tests))
    )


def _qualname(nodeid: str) -> str:
    separator = next((s for s in ID_SEPARATORS if s in nodeid), "::")
    return nodeid.partition(separator)[2]
