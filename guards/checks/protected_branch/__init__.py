"""protected-branch: main, master and release/* are never pushed to directly, force-pushed or
deleted, and their protection settings are at least as strong as ``require``.

Three layers share these rules: ``guards prepush`` (local, git's pre-push protocol), this
guard inside ``guards run`` (the push / pull_request event, plus the settings when a token
is available) and ``guards protection audit`` (the settings alone). The GitHub API code and
the settings rules are imported only when a token lets the guard ask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guards.checks.base import NotApplicable, Rule
from guards.checks.protected_branch import push_events as branch_events
from guards.checks.protected_branch.branch_patterns import (
    branch_of,
    compile_pattern,
    protecting_pattern,
)
from guards.config import Config, ProtectedBranchSettings
from guards.context import Context
from guards.finding import Finding

if TYPE_CHECKING:
    from guards.github import protection as api

NAME = "protected-branch"
_TOKEN = "audit with a token that can read it, or enforce the requirement in a ruleset"
RULES = {
    "no_direct_push": Rule(
        "nothing reaches a protected branch except through a merged pull request",
        "push to a topic branch and open a pull request; revert a commit pushed directly",
    ),
    "no_force_push": Rule(
        "a protected branch is never force-pushed (a non-fast-forward update)",
        "rebase onto the remote branch instead of rewriting it; restore the old head",
    ),
    "no_branch_deletion": Rule(
        "a protected branch is never deleted",
        "restore the branch from its last commit; ask a maintainer if it must really go",
    ),
    "head_branch_not_protected": Rule(
        "a pull request's head branch is not itself a protected branch of this repository",
        "open the pull request from a topic branch",
    ),
    "requires_pull_request": Rule(
        "the protected branch requires a pull request before merging",
        f"add a ruleset with 'Require a pull request before merging'; {_TOKEN}",
    ),
    "requires_approvals": Rule(
        "the protected branch requires at least require.approvals approving reviews",
        f"raise 'Required approvals' in the branch's ruleset; {_TOKEN}",
    ),
    "blocks_force_push": Rule(
        "the protected branch blocks force pushes",
        f"add 'Block force pushes' (non_fast_forward) to the branch's ruleset; {_TOKEN}",
    ),
    "blocks_deletion": Rule(
        "the protected branch blocks deletion",
        f"add 'Restrict deletions' (deletion) to the branch's ruleset; {_TOKEN}",
    ),
    "requires_status_checks": Rule(
        "every check in require.status-checks is a required status check of the branch",
        f"add the check to 'Require status checks to pass' in the ruleset; {_TOKEN}",
    ),
    "no_bypass_actors": Rule(
        "nobody may bypass the branch's protection",
        "remove the bypass actors from the ruleset; enable 'Do not allow bypassing' (classic)",
    ),
    "classic_protection_readable": Rule(
        "the classic branch protection is readable with this token",
        "audit with a token that has Administration: read, or move protection to a ruleset",
    ),
}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    settings = cfg.protected_branch
    for pattern in settings.branches:  # every pattern valid, not only the ones reached
        compile_pattern(pattern)
    findings = event_findings(ctx, settings) + settings_findings(ctx, settings)
    if not findings:
        raise NotApplicable(
            "no push or pull_request event to judge and no token to audit settings; "
            "local pushes are judged by the pre-push hook (guards hook install)"
        )
    return findings


def event_kind(ctx: Context) -> str | None:
    """push, pull_request, or None, from the event name or the payload's shape."""
    if ctx.event.pull_request:
        return "pull_request"
    payload = ctx.event.payload
    if ctx.event.name == "push" or (ctx.event.name is None and "before" in payload):
        return "push"
    return None


def event_findings(ctx: Context, s: ProtectedBranchSettings) -> list[Finding]:
    kind = event_kind(ctx)
    if kind == "pull_request":
        return branch_events.pr_findings(ctx.event.pull_request, s.branches, s.allowed_pr_heads)
    if kind != "push":
        return []
    push = branch_events.read_push(ctx.event.payload)
    pulls = _pulls(ctx, push)
    rewrites = _rewrites(ctx, push)
    return branch_events.push_findings(
        push, s.branches, s.block_force_push_everywhere, rewrites, pulls
    )


def _rewrites(ctx: Context, push: branch_events.Push) -> bool | None:
    if push.created or push.deleted:
        return None
    if not (ctx.git.has_commit(push.before) and ctx.git.has_commit(push.after)):
        return None
    return not ctx.git.is_ancestor(push.before, push.after)


def _pulls(ctx: Context, push: branch_events.Push) -> list[dict[str, object]] | None:
    repo = _repo(ctx)
    if repo is None or push.deleted:
        return None
    from guards.github import protection as api  # loaded by _repo already: a token is set

    return [dict(p) for p in api.commit_pulls(repo, push.after)]


def _repo(ctx: Context) -> api.Repo | None:
    """The repository to ask GitHub about: only with a token (no token, no API calls)."""
    if ctx.github is None or not ctx.github.token:
        return None
    from guards.github import protection as api  # the API code loads only with a token
    from guards.github.client import repository_slug

    slug = repository_slug(ctx.env, ctx.event.payload)
    return api.Repo(ctx.github, slug) if slug else None


def target_branch(ctx: Context) -> str | None:
    """The branch this event lands on: the PR's base, the pushed ref, the queue's base."""
    pr_base = ctx.event.pull_request.get("base")
    if isinstance(pr_base, dict) and isinstance(pr_base.get("ref"), str):
        return str(pr_base["ref"])
    group = ctx.event.payload.get("merge_group")
    ref = group.get("base_ref") if isinstance(group, dict) else ctx.event.payload.get("ref")
    return branch_of(ref) if isinstance(ref, str) and ref else None


def settings_findings(ctx: Context, s: ProtectedBranchSettings) -> list[Finding]:
    """With a token: the target branch's protection against ``require``."""
    repo = _repo(ctx) if s.audit_settings else None
    branch = target_branch(ctx)
    if repo is None or branch is None or protecting_pattern(branch, s.branches) is None:
        return []
    from guards.checks.protected_branch import settings_rules as branch_rules  # with a token
    from guards.checks.protected_branch.protection_sources import gather

    return branch_rules.evaluate(gather(repo, branch), s.require)
