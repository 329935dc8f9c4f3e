"""``guards cache warm``: the facts of every Python file of a revision into the fact cache, then
the suppressions guard's comment records of those that hold a suppression hint."""

from __future__ import annotations

from dataclasses import replace

from guards.checks.suppressions import remembered
from guards.collect.cache import for_git
from guards.collect.python.sources import warming
from guards.core.git import Git
from guards.report import warmed as warmed_report


def main(repo: str, rev: str, fmt: str) -> int:
    """Warm the fact cache at REV and print what was done; exit 0."""
    git = Git(repo)
    sha = git.resolve(rev, "rev")
    facts = warming.warm(git, sha)
    warmed = replace(facts, comments=remembered.warm(git, sha, for_git(git)))
    warmed_report.emit(warmed, fmt)
    return 0
