"""``guards prepush REMOTE URL``: git's pre-push hook, refusing what protected branches forbid.

Policy: ``guards.yaml`` (or ``[tool.guards]``) read at the remote's default branch as this
clone last saw it (``refs/remotes/<remote>/HEAD``), so the branch being pushed cannot loosen
its own gate; when that ref does not exist (no clone, a push to a bare URL) it is read at
HEAD; in an empty repository the defaults apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from guards.checks.prepush_rules import Ancestry, RefUpdate, judge, parse_lines
from guards.config import Config, load_config
from guards.core.git import ZERO_OID, Git
from guards.errors import GuardsError
from guards.finding import Finding
from guards.report import prepush as prepush_report


@dataclass(frozen=True)
class Verdict:
    """What one pre-push invocation found, and where its policy came from."""

    policy: str
    findings: tuple[Finding, ...]
    updates: tuple[RefUpdate, ...] = ()

    @property
    def refused(self) -> bool:
        return any(f.failed for f in self.findings)


def main(
    remote: str, url: str, stdin: str, repo: str, env: Mapping[str, str], run: bool = False
) -> int:
    """Judge the pushed refs; exit 0 allow, 1 refuse (2, on GuardsError, from the caller).

    With RUN, the guards then judge each pushed branch's tip against its base (not HEAD)."""
    verdict = evaluate(repo, remote, stdin, env)
    prepush_report.emit(verdict.policy, verdict.findings)
    if verdict.refused:
        return 1
    if not run:
        return 0
    from guards import prepush_run

    return prepush_run.run_each(repo, remote, verdict.updates, env)


def evaluate(repo: str, remote: str, stdin: str, env: Mapping[str, str]) -> Verdict:
    """The function behind ``guards prepush`` and the ``prepush:`` probes."""
    git = Git(repo)
    updates = parse_lines(stdin if stdin.strip() else pre_commit_input(git, env))
    config, where = policy(git, remote)
    ancestry = ancestry_of(git)
    findings = [f for u in updates for f in judge(u, config.protected_branch, ancestry)]
    return Verdict(f"{config.source} (read at {where})", tuple(findings), tuple(updates))


def policy(git: Git, remote: str) -> tuple[Config, str]:
    """The config at the remote's default branch if this clone knows it, else at HEAD."""
    for rev in (f"refs/remotes/{remote}/HEAD", "HEAD"):
        sha = git.try_resolve(rev)
        if sha:
            return load_config(git, sha), rev
    return Config(), "no commit yet"


def ancestry_of(git: Git) -> Ancestry:
    def is_ancestor(remote_oid: str, local_oid: str) -> bool | None:
        if not git.has_commit(remote_oid):
            return None
        return git.is_ancestor(remote_oid, local_oid)

    return is_ancestor


def pre_commit_input(git: Git, env: Mapping[str, str]) -> str:
    """pre-commit does not forward the hook's stdin: rebuild its one line from its variables.

    pre-commit passes only the first ref that is not a deletion (deletions never reach its
    hooks), so `guards hook install` is the complete layer; this keeps the pre-commit hook
    honest for what it does see.
    """
    remote_ref = env.get("PRE_COMMIT_REMOTE_BRANCH")
    if not remote_ref:
        return ""
    refuse_unseen(git, env.get("PRE_COMMIT_REMOTE_NAME") or "origin")
    local_ref = env.get("PRE_COMMIT_LOCAL_BRANCH") or "HEAD"
    local_oid = env.get("PRE_COMMIT_TO_REF") or git.resolve(local_ref, "local ref")
    remote_oid = env.get("PRE_COMMIT_FROM_REF") or ZERO_OID
    return f"{local_ref} {local_oid} {remote_ref} {remote_oid}\n"


def refuse_unseen(git: Git, remote: str) -> None:
    """Run by pre-commit: exit 2 when git's command line shows refs pre-commit did not pass."""
    from guards.checks.pre_commit_push import ADVICE, unseen
    from guards.core.processes import git_ancestor_argv, push_settings

    configured, matching = push_settings(git, remote)
    reason = unseen(git_ancestor_argv(), configured, matching)
    if reason:
        raise GuardsError(f"{reason}: guards cannot see every ref it pushes. {ADVICE}")
