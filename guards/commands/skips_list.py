"""``guards skips list``: the skip set of one revision (the whole tree)."""

from __future__ import annotations

from guards.collect.python import skip_sets as api
from guards.collect.python.oracle import pytest_runner
from guards.config import load_config
from guards.core.git import Git
from guards.report import skips as skips_report


def main(repo: str, rev: str, fmt: str, collector: str) -> int:
    """Print every skipped, xfailed, deselected or ignored test of REV; exit 0."""
    git = Git(repo)
    sha = git.resolve(rev, "rev")
    patterns = load_config(git, sha).skip_set.paths
    if collector == "pytest":
        tests = pytest_runner.as_tests(pytest_runner.collect(git, sha))
        kept = set(api.limit({t.path for t in tests}, patterns))
        items = sorted((t for t in tests if t.skips and t.path in kept), key=lambda t: t.nodeid)
    else:
        items = api.skipped(git, sha, patterns)
    skips_report.emit(sha, items, fmt)
    return 0
