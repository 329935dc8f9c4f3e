"""A local push judged before it leaves: git's pre-push lines against the protected-branch policy.

The function behind ``guards prepush`` and the ``prepush:`` probes. Policy comes from
``config.push_policy`` for each pushed ref's target: the remote's default branch as this clone
last saw it, else the remote-tracking copy of the target branch, else the defaults tightened
by the local policy; so the branch being pushed cannot loosen its own gate. The trap:
pre-commit does not forward the hook's stdin, so its one ref is rebuilt from PRE_COMMIT_*
variables (deletions never reach it).
"""

from __future__ import annotations

from collections.abc import Mapping

from guards import config
from guards.checks.protected_branch import branch_patterns
from guards.checks.protected_branch.prepush_rules import Ancestry, RefUpdate, judge, parse_lines
from guards.core.git import Git
from guards.core.oids import ZERO_OID
from guards.core.records import record
from guards.errors import GuardsError
from guards.finding import Finding


@record
class PushVerdict:
    """What one pre-push invocation found, and where its policy came from."""

    policy: str
    findings: tuple[Finding, ...]
    updates: tuple[RefUpdate, ...] = ()

    @property
    def refused(self) -> bool:
        return any(f.failed for f in self.findings)


def evaluate(repo: str, remote: str, stdin: str, env: Mapping[str, str]) -> PushVerdict:
    """Judge every pushed ref against the policy for its target branch (see push_policy)."""
    git = Git(repo)
    updates = parse_lines(stdin if stdin.strip() else pre_commit_input(git, env))
    ancestry = ancestry_of(git)
    policies: dict[str, str] = {}
    findings: list[Finding] = []
    for update in updates:
        cfg, where = config.push_policy(git, remote, target_branch(update))
        policies.setdefault(f"{cfg.source} ({where})", "")
        findings += judge(update, cfg.protected_branch, ancestry)
    if not updates:
        cfg, where = config.push_policy(git, remote)
        policies[f"{cfg.source} ({where})"] = ""
    return PushVerdict("; ".join(policies), tuple(findings), tuple(updates))


def target_branch(update: RefUpdate) -> str | None:
    """The branch a ref update pushes to, as git reads its name (None for a tag)."""
    return branch_patterns.branch_of(branch_patterns.normalize_ref(update.remote_ref))


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
    from guards.checks.protected_branch.pre_commit_push import ADVICE, unseen
    from guards.core.processes import git_ancestor_argv

    configured, matching = git.push_settings(remote)
    reason = unseen(git_ancestor_argv(), configured, matching)
    if reason:
        raise GuardsError(f"{reason}: guards cannot see every ref it pushes. {ADVICE}")
