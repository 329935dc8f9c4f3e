"""``guards cache warm``: the facts of every Python file of a revision into the fact cache."""

from __future__ import annotations

from guards.collect.python.sources import warming
from guards.core.git import Git
from guards.report import warmed as warmed_report


def main(repo: str, rev: str, fmt: str) -> int:
    """Warm the fact cache at REV and print what was done; exit 0."""
    git = Git(repo)
    sha = git.resolve(rev, "rev")
    warmed_report.emit(warming.warm(git, sha), fmt)
    return 0
