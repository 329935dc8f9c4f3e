"""``guards prepush --run``: the guards on each pushed branch's tip, against its base, not HEAD.

The pre-push hook used to run ``guards run`` on HEAD: a clean checkout could push a violating
branch (``git push origin bad-branch``), and a tag push or a branch deletion from a dirty
checkout was judged by whatever HEAD held. Here each ref update git reports is judged as what
it is: a deletion or a tag carries no change to judge; a branch update is ``guards run`` with
head = the pushed commit, base = its merge-base with the remote's default branch as this clone
knows it (``refs/remotes/<remote>/HEAD``, else main/master), and the ticket read from the
pushed branch's name. The worst exit code of the runs wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guards.checks.protected_branch import branch_patterns
from guards.checks.protected_branch.prepush_rules import RefUpdate
from guards.core.git import Git
from guards.errors import GuardsError
from guards.report import prepush as prepush_report


def branch_updates(updates: Sequence[RefUpdate]) -> list[tuple[str, RefUpdate]]:
    """(branch name, update) of every update that puts a commit on a branch."""
    found = []
    for update in updates:
        branch = branch_patterns.branch_of(branch_patterns.normalize_ref(update.remote_ref))
        if branch is not None and not update.deletes:
            found.append((branch, update))
    return found


def base_of(git: Git, remote: str, head: str) -> str:
    """The merge-base of HEAD with the remote's default branch (else main/master)."""
    candidates = [f"refs/remotes/{remote}/{name}" for name in ("HEAD", "main", "master")]
    for rev in [*candidates, "refs/heads/main", "refs/heads/master"]:
        sha = git.try_resolve(rev)
        if sha:
            return git.merge_base(sha, head)
    raise GuardsError(
        f"cannot find a base for the pushed commit {head[:12]}: no {remote}/HEAD, main or "
        f"master; run: git remote set-head {remote} --auto"
    )


def run_each(repo: str, remote: str, updates: Sequence[RefUpdate], env: Mapping[str, str]) -> int:
    """``guards run`` on every pushed branch; the worst exit code."""
    from guards.commands import run
    from guards.context import RunOptions

    git = Git(repo)
    worst = 0
    for branch, update in branch_updates(updates):
        base = base_of(git, remote, update.local_oid)
        prepush_report.run_header(branch, base, update.local_oid)
        opts = RunOptions(repo=repo, base=base, head=update.local_oid, head_ref=branch, env=env)
        worst = max(worst, run.main(opts, (), "text", None))
    return worst
