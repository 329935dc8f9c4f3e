"""What the guard and ``guards skips list`` ask of the collector."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pathspec

from guards.collect.compare import Side
from guards.collect.model import TestItem
from guards.collect.python.collector import Collector, Request
from guards.collect.python.config.paths import is_test_module
from guards.collect.python.sources import change_scope as scoping
from guards.collect.python.sources.revision import Revision
from guards.collect.python.sources.skipping_exports import skipping_exports
from guards.core.changes import ChangeSet
from guards.core.git import Git


@dataclass(frozen=True)
class Sides:
    base: Side
    head: Side
    scope: scoping.ChangeScope


def limit(paths: Iterable[str], patterns: tuple[str, ...]) -> tuple[str, ...]:
    """PATHS inside the ``skip-set.paths`` patterns (gitignore style); all when none."""
    if not patterns:
        return tuple(paths)
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    return tuple(p for p in paths if spec.match_file(p))


def sides(git: Git, base: str, head: str, changes: ChangeSet, patterns: tuple[str, ...]) -> Sides:
    """The tests of every file whose skip state the change can alter, at BASE and at HEAD."""
    base_rev, head_rev = Revision(git, base), Revision(git, head)
    scope = scoping.compute(changes, base_rev, head_rev)
    base_paths = limit(scope.base_paths, patterns)
    head_paths = limit(scope.head_paths, patterns)
    # A base file that does not parse held no running tests; at head it is an error.
    base_req = Request(base_paths, defs=True, strict=False)
    head_req = Request(head_paths, dormant=True, defs=True)
    return Sides(
        Side.of(Collector(base_rev).collect(base_req).values()),
        Side.of(Collector(head_rev).collect(head_req).values()),
        scope,
    )


def skipped(git: Git, rev: str, patterns: tuple[str, ...]) -> list[TestItem]:
    """Every test of REV (whole tree) with at least one skip, sorted by node id."""
    files = git.list_files(rev)
    revision = Revision(git, rev, files)
    python = [p for p in files if p.endswith(".py")]
    helpers = [p for p in python if not is_test_module(p, revision.config)]
    names = tuple(sorted(skipping_exports(revision, helpers)))
    paths = limit(python, patterns)
    results = Collector(revision).collect(Request(paths, prefilter=True, names=names))
    items = [t for r in results.values() for t in r.tests if t.skips]
    return sorted(items, key=lambda t: t.nodeid)
