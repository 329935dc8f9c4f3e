"""What the guard and ``guards skips list`` ask of the collector."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from guards.collect import languages
from guards.collect.compare import Side
from guards.collect.model import FileResult, TestItem
from guards.collect.python.sources.revision import Revision
from guards.core.changes import ChangeSet
from guards.core.git import Git
from guards.core.records import record
from guards.errors import GuardsError
from guards.patterns import patterns as compile_globs

if TYPE_CHECKING:  # a listing never scopes a change (its dependents, their lookahead)
    from guards.collect.python.sources.change_scope import ChangeScope


@record
class Sides:
    base: Side
    head: Side
    scope: ChangeScope


def limit(paths: Iterable[str], patterns: tuple[str, ...]) -> tuple[str, ...]:
    """PATHS inside the ``skip-set.paths`` patterns (gitignore style); all when none."""
    if not patterns:
        return tuple(paths)
    spec = compile_globs("guards.yaml: skip-set.paths", patterns)
    return tuple(p for p in paths if spec.match(p))


def sides(git: Git, base: str, head: str, changes: ChangeSet, patterns: tuple[str, ...]) -> Sides:
    """The tests of every file whose skip state the change can alter, at BASE and at HEAD."""
    base_rev, head_rev = Revision(git, base), Revision(git, head)
    try:
        return _sides(git, base_rev, head_rev, changes, patterns)
    finally:
        base_rev.stop_ahead()  # a child analyzing ahead (lookahead.py): both sides are read
        head_rev.stop_ahead()


def _sides(
    git: Git, base_rev: Revision, head_rev: Revision, changes: ChangeSet, patterns: tuple[str, ...]
) -> Sides:
    from guards.collect.python.sources import change_scope as scoping

    base, head = base_rev.rev, head_rev.rev
    head_rev.share_reach(base_rev, changes.paths)
    scope = scoping.compute(changes, base_rev, head_rev)
    base_paths = limit(scope.base_paths, patterns)
    head_paths = limit(scope.head_paths, patterns)
    # Other languages (guards/collect/languages.py): their changed files, merged into the sides.
    other = languages.changed(git, base, head, changes, lambda ps: limit(ps, patterns))
    scope = replace(scope, widened=scope.widened + other.widened)
    # A base file that does not parse held no running tests; at head it is an error.
    base_side = Side.of([*_collected(base_rev, base_paths, strict=False), *other.base])
    # A file pytest would not collect is read at head only where a base test may have gone
    # (collect/gone.py asks head's dormant tests and definitions of those paths alone).
    gone_to = frozenset(scope.renames.get(t.path, t.path) for t in base_side.tests.values())
    head_side = Side.of([*_collected(head_rev, head_paths, gone_to), *other.head])
    return Sides(base_side, head_side, scope)


def _collected(
    rev: Revision,
    paths: tuple[str, ...],
    dormant: frozenset[str] = frozenset(),
    strict: bool = True,
) -> list[FileResult]:
    """The collector's results for PATHS, definitions included. With no Python file in scope
    the collector, its parser and its linker are not even imported (most of a small run)."""
    if not paths:
        return []
    from guards.collect.python.collector import Collector, Request

    request = Request(paths, dormant=dormant, defs=True, strict=strict)
    return list(Collector(rev).collect(request).values())


def listed(git: Git, rev: str) -> Revision:
    """REV's whole tree, git reading already what its reach searches (reach.prepare): a caller
    with a configuration of its own to read begins with this, and asks ``skipped`` after."""
    revision = Revision(git, rev, git.list_files(rev), whole=True)
    from guards.collect.python.sources import reach

    with contextlib.suppress(GuardsError):  # a configuration that cannot be read: met again,
        reach.prepare(revision)  # and said, where the listing reads it (after guards.yaml)
    return revision


def skipped(
    git: Git, rev: str, patterns: tuple[str, ...], revision: Revision | None = None
) -> list[TestItem]:
    """Every test of REV (whole tree; REVISION where ``listed`` began it) with at least one
    skip, sorted by node id. The collector decides which files pytest would collect while git
    reads the tree, which needs no reach (Request.whole)."""
    from guards.collect.python.collector import Collector, Request

    revision = revision or listed(git, rev)
    files = revision.files or {}
    python = [p for p in files if p.endswith(".py")]
    results = Collector(revision).collect(Request(limit(python, patterns), whole=True))
    other = languages.whole_tree(git, rev, files, lambda ps: limit(ps, patterns))
    items = [t for r in [*results.values(), *other] for t in r.tests if t.skips]
    return sorted(items, key=lambda t: t.nodeid)
