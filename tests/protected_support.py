"""Helpers for the protected-branch tests: recorded GitHub responses and a clone with a remote."""

from __future__ import annotations

import copy
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

from testing.git_repo import GitRepo

FIXTURES = Path(__file__).parent / "fixtures" / "github"
SLUG = "octo-org/app"
ZERO = "0" * 40


def load(name: str) -> Any:
    """A recorded response or payload (a fresh copy: tests change it freely)."""
    return copy.deepcopy(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def api_env(server: HTTPServer, *, token: str | None = "t0ken") -> dict[str, str]:
    """Point guards at SERVER with tiny retry backoff (tests never sleep seconds)."""
    env = {
        "GITHUB_API_URL": server.url_for("").rstrip("/"),
        "GUARDS_GITHUB_RETRIES": "2",
        "GUARDS_GITHUB_BACKOFF": "0",
    }
    if token:
        env["GITHUB_TOKEN"] = token
    return env


def serve_branch(
    server: HTTPServer,
    branch: str,
    rules: Any,
    *,
    ruleset: Any = None,
    classic: Any = None,
    classic_status: int = 404,
) -> None:
    """Record the three endpoints the audit reads for BRANCH."""
    server.expect_request(f"/repos/{SLUG}/rules/branches/{branch}").respond_with_json(rules)
    server.expect_request(f"/repos/{SLUG}/rulesets/7").respond_with_json(
        ruleset if ruleset is not None else load("rest/ruleset.7.json")
    )
    protection = server.expect_request(f"/repos/{SLUG}/branches/{branch}/protection")
    if classic is not None:
        protection.respond_with_json(classic)
    else:
        protection.respond_with_json({"message": "Not Found"}, status=classic_status)


@dataclass
class Clone:
    """A bare remote with main and release/1.0, and a clone of it (origin)."""

    remote: Path
    work: GitRepo
    first: str

    def push(self, *args: str) -> tuple[int, str]:
        """``git push origin ARGS`` for real: the pre-push hook runs; (exit code, stderr)."""
        proc = subprocess.run(
            ["git", "push", "origin", *args],
            cwd=self.work.path,
            env=self.work.env,
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.returncode, proc.stderr

    def remote_rev(self, ref: str) -> str | None:
        """What the remote has at REF now (None when it does not exist)."""
        out = self.work.git("ls-remote", "origin", ref).split()
        return out[0] if out else None


def clone_with_remote(tmp: Path, files: dict[str, str] | None = None) -> Clone:
    seed = GitRepo(tmp / "seed")
    seed.write(files or {"README.md": "# app\n"})
    first = seed.commit("first")
    seed.git("init", "-q", "--bare", "-b", "main", str(tmp / "remote.git"))
    seed.git("push", "-q", str(tmp / "remote.git"), "main", "main:release/1.0")
    work = GitRepo(tmp / "work")
    work.git("remote", "add", "origin", str(tmp / "remote.git"))
    work.git("fetch", "-q", "origin")
    work.git("remote", "set-head", "origin", "main")
    work.git("checkout", "-q", "-B", "main", "origin/main")
    return Clone(tmp / "remote.git", work, first)
