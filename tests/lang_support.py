"""Helpers for the Go and Rust collector tests: a revision's files read through real git,
a corpus copied into a real repository, and toolchain environments with cached build dirs.

A missing toolchain fails the test (require()), it never skips it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType

from guards.collect.interface import Files
from guards.collect.model import FileResult, TestItem
from guards.core.git import Git
from testing.git_repo import GitRepo

CACHE = Path.home() / ".cache" / "guards-tests"


class RevFiles:
    """Files of one commit of a real repository (Files protocol), read with guards' git layer."""

    def __init__(self, root: str | os.PathLike[str], rev: str = "HEAD") -> None:
        self.git = Git(root)
        self.rev = self.git.resolve(rev)
        self.paths = sorted(self.git.list_files(self.rev))

    def read(self, path: str) -> bytes | None:
        return self.git.read(self.rev, path)

    def exists(self, path: str) -> bool:
        return path in self.paths

    def below(self, folder: str) -> list[str]:
        prefix = f"{folder}/" if folder else ""
        return [p for p in self.paths if p.startswith(prefix)]

    def list_dir(self, folder: str) -> Sequence[str]:
        prefix = f"{folder}/" if folder else ""
        return [p for p in self.paths if p.startswith(prefix) and "/" not in p[len(prefix) :]]


def corpus_repo(source: Path, target: Path) -> GitRepo:
    """A real repository holding a copy of the corpus directory SOURCE, committed."""
    files = {
        str(p.relative_to(source)): p.read_text()
        for p in sorted(source.rglob("*"))
        if p.is_file() and "target" not in p.relative_to(source).parts
    }
    repo = GitRepo(target)
    repo.write(files)
    repo.commit("corpus")
    return repo


def require(tool: str) -> str:
    """The path of TOOL; a missing toolchain fails the test (it must be installed)."""
    found = shutil.which(tool)
    assert found, f"{tool} is not installed: the oracle needs the real runner (see .ci/run)"
    return found


def items_of(results: Iterable[FileResult]) -> dict[str, TestItem]:
    return {t.nodeid: t for r in results for t in r.tests}


def kinds_of(results: Iterable[FileResult]) -> dict[str, list[str]]:
    return {t.nodeid: [s.kind for s in t.skips] for r in results for t in r.tests}


def collect_all(module: ModuleType, files: Files, paths: Iterable[str]) -> list[FileResult]:
    """MODULE's results for the paths among PATHS it claims (a collector of interface.py)."""
    claimed = [p for p in paths if module.claims(p)]
    return list(module.collect(files, claimed))


def toolchain_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GO", "CARGO_"))}
    return {**env, **extra}
