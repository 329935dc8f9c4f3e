"""Real git repositories for tests: init, write, commit, branch, with an isolated git config.

Thin re-export of guards.core.scratch (the probe runner builds its repositories the same way)
plus helpers that run the real CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guards.core.scratch import IDENTITY, ScratchRepo, isolated_env

__all__ = [
    "IDENTITY",
    "CliResult",
    "GitRepo",
    "guards_cli",
    "isolated_env",
    "pr_repo",
    "shallow_clone",
]

GitRepo = ScratchRepo


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def guards_cli(
    *args: str,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> CliResult:
    """Run the real ``guards`` CLI (python -m guards) in a subprocess, outside Actions."""
    base = {k: v for k, v in isolated_env().items() if not k.startswith("GITHUB_")}
    base.pop("GUARDS_TICKET", None)
    base.pop("GH_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "guards", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        check=False,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def pr_repo(
    path: Path,
    base: Mapping[str, str | None],
    head: Mapping[str, str | None],
    *,
    branch: str = "feature",
    renames: Mapping[str, str] | None = None,
    symlinks: Mapping[str, str] | None = None,
    modes: Mapping[str, str] | None = None,
) -> tuple[GitRepo, str, str]:
    """A repository with BASE committed on main and HEAD committed on BRANCH."""
    repo = GitRepo(path)
    repo.write(base)
    base_sha = repo.commit("base")
    repo.branch(branch)
    repo.mv(renames or {})
    repo.write(head)
    repo.symlink(symlinks or {})
    repo.chmod(modes or {})
    return repo, base_sha, repo.commit("head")


def shallow_clone(repo: GitRepo, dest: Path, branch: str = "feature") -> None:
    """``git clone --depth 1`` of BRANCH, as actions/checkout does by default."""
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", branch, f"file://{repo.path}",
         str(dest)], check=True, env=isolated_env(),
    )  # fmt: skip
