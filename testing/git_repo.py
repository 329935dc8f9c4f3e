"""Real git repositories for tests: init, write, commit, branch, with an isolated git config.

GitRepo (ScratchRepo) has small verbs over the real git; the probe runner builds its
repositories with the same identity (guards/probe/repo.py). Plus helpers that run the real CLI.
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

from guards.core.git import IDENTITY, isolated_env
from guards.errors import GuardsError

__all__ = [
    "IDENTITY",
    "CliResult",
    "GitRepo",
    "guards_cli",
    "isolated_env",
    "pr_repo",
    "shallow_clone",
]


class ScratchRepo:
    """A real repository in PATH with small verbs: write, symlink, chmod, rm, mv, commit."""

    def __init__(self, path: str | os.PathLike[str], *, branch: str = "main") -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.env = isolated_env({"GIT_LITERAL_PATHSPECS": "1"})
        self.git("init", "-q", "-b", branch)

    def git(self, *args: str, stdin: bytes | None = None) -> str:
        """Run git in the repository; a failure raises GuardsError with git's message."""
        proc = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=self.env,
            input=stdin,
            capture_output=True,
            check=False,
        )
        if proc.returncode:
            raise GuardsError(
                f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace')}"
            )
        return proc.stdout.decode(errors="surrogateescape")

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write each path's text (None deletes it) and stage the result in one git call each."""
        gone = [name for name, text in files.items() if text is None]
        if gone:
            self.git("rm", "-rq", "--cached", "--ignore-unmatch", "--", *gone)
        for name, text in files.items():
            target = self.path / name
            _remove(target)
            if text is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode() if isinstance(text, str) else text)
        kept = [name for name, text in files.items() if text is not None]
        if kept:
            self.git("add", "-f", "--", *kept)

    def symlink(self, links: Mapping[str, str]) -> None:
        for name, target in links.items():
            link = self.path / name
            link.parent.mkdir(parents=True, exist_ok=True)
            _remove(link)
            os.symlink(target, link)
            self.git("add", "-f", "--", name)

    def chmod(self, modes: Mapping[str, str]) -> None:
        for name, mode in modes.items():
            (self.path / name).chmod(0o755 if mode == "100755" else 0o644)
            self.git("add", "-f", "--", name)

    def mv(self, renames: Mapping[str, str]) -> None:
        for old, new in renames.items():
            (self.path / new).parent.mkdir(parents=True, exist_ok=True)
            self.git("mv", "-f", "--", old, new)

    def submodule_pointer(self, path: str, oid: str) -> None:
        """Record a gitlink (submodule commit pointer) at PATH without a checkout."""
        self.git("update-index", "--add", "--cacheinfo", f"160000,{oid},{path}")

    def commit(self, message: str = "commit") -> str:
        self.git("commit", "-q", "--allow-empty", "--no-verify", "-m", message)
        return self.rev("HEAD")

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.git("checkout", "-q", "-B", name, start)

    def rev(self, rev: str) -> str:
        return self.git("rev-parse", "--verify", rev).strip()


def _remove(target: Path) -> None:
    if target.is_symlink() or target.is_file():
        target.unlink()


GitRepo = ScratchRepo


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


CLI_TIMEOUT = 600  # seconds: the slowest run the suite makes takes a few


def guards_cli(
    *args: str,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> CliResult:
    """Run the real ``guards`` CLI (python -m guards) in a subprocess, outside Actions; a run
    past CLI_TIMEOUT seconds is a hang, and fails the test (subprocess.TimeoutExpired)."""
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
        timeout=CLI_TIMEOUT,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def skip_set_failures(repo: GitRepo, base: str, head: str) -> set[str]:
    """The tests ``guards run --only skip-set`` fails from BASE to HEAD, which must exit 1."""
    result = guards_cli("run", "--only", "skip-set", "--base", base, "--head", head,
                        "--format", "json", cwd=repo.path)  # fmt: skip # -- one call
    assert result.code == 1, result.stderr
    return {f["test"] for f in result.json()["guards"][0]["findings"] if f["outcome"] == "fail"}


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
    )  # fmt: skip # -- a packed argument list reads better than one item a line
