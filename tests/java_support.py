"""Test support for the Java collector: one revision's files through the git layer, and a
skip-set verdict on the collector's own output (until the shared wiring runs it in the guard).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from guards.collect import java
from guards.collect.model import FileResult, TestItem
from guards.core.git import Git
from testing.git_repo import GitRepo


class RevisionFiles:
    """``Files`` (guards/collect/interface.py) at one commit, read with the real git."""

    def __init__(self, git: Git, rev: str) -> None:
        self.git, self.rev = git, rev
        self.paths = set(git.list_files(rev))

    def read(self, path: str) -> bytes | None:
        return self.git.read(self.rev, path) if path in self.paths else None

    def exists(self, path: str) -> bool:
        return path in self.paths

    def list_dir(self, folder: str) -> Sequence[str]:
        prefix = f"{folder}/" if folder else ""
        return sorted(p for p in self.paths if p.startswith(prefix) and "/" not in p[len(prefix) :])

    def below(self, folder: str) -> Sequence[str]:
        prefix = f"{folder}/" if folder else ""
        return sorted(p for p in self.paths if p.startswith(prefix))


def collect_rev(git: Git, rev: str) -> list[FileResult]:
    files = RevisionFiles(git, rev)
    return java.collect(files, sorted(p for p in files.paths if java.claims(p)))


def skipped(results: Sequence[FileResult]) -> dict[str, TestItem]:
    """Every test with a skip, and every test of a file the build does not run."""
    found = {t.nodeid: t for r in results for t in r.tests if t.skips}
    found |= {t.nodeid: t for r in results for t in r.dormant}
    return found


def commit_files(root: Path, files: Mapping[str, str]) -> tuple[Git, str]:
    repo = GitRepo(root)
    repo.write(dict(files))
    return Git(repo.path), repo.commit("files")
