"""``guards skips list``: the skip set of one revision (the whole tree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guards.collect.model import Skip, TestItem
from guards.collect.python import skip_sets as api
from guards.config import load_config
from guards.core.git import Git
from guards.report import skips as skips_report

if TYPE_CHECKING:  # the reports' parsers load only when reports are read
    from guards.collect.reports.model import RunTest


def main(repo: str, rev: str, fmt: str, collector: str) -> int:
    """Print every skipped, xfailed, deselected or ignored test of REV; exit 0."""
    git = Git(repo)
    sha = git.resolve(rev, "rev")
    listing = api.listed(git, sha) if collector == "static" else None  # git reads meanwhile
    patterns = load_config(git, sha).skip_set.paths
    if listing is None:
        from guards.collect.python.oracle import pytest_runner  # tarfile, tempfile: only here

        tests = pytest_runner.as_tests(pytest_runner.collect(git, sha))
        kept = set(api.limit({t.path for t in tests}, patterns))
        items = sorted((t for t in tests if t.skips and t.path in kept), key=lambda t: t.nodeid)
    else:
        items = api.skipped(git, sha, patterns, listing)
    skips_report.emit(sha, items, fmt)
    return 0


def from_reports(repo: str, rev: str, fmt: str, patterns: tuple[str, ...]) -> int:
    """Print what the test-run reports PATTERNS say was skipped or xfailed; exit 0.

    REV's Python files turn pytest JUnit classnames into node ids."""
    from guards.collect.reports import NOT_RUN, load

    git = Git(repo)
    sha = git.resolve(rev, "rev")
    report = load(patterns, git.list_files(sha))
    items = [
        TestItem(t.test, t.file or t.source, t.line, (_skip(t),))
        for t in sorted(report.tests.values(), key=lambda t: t.test)
        if t.outcome in NOT_RUN
    ]
    skips_report.emit(sha, items, fmt)
    return 0


def _skip(test: RunTest) -> Skip:
    said = test.message or f"{test.outcome} in {test.source} (no message from the runner)"
    return Skip(f"report-{test.outcome}", test.line, said)
