"""The push and pull_request events, judged against the protected branches (pure logic).

A push payload's ``forced`` is also true on creation and deletion, so ``created`` and
``deleted`` are decided first, from the object ids (``before`` all zeros is a creation,
``after`` all zeros a deletion) rather than from the flags alone: a payload that claims a
creation with a non-zero ``before`` is judged as the update it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from guards.checks.protected_branch.branch_patterns import branch_of, protecting_pattern
from guards.core.oids import is_oid, is_zero
from guards.core.records import record
from guards.errors import GuardsError
from guards.finding import Finding, Outcome


@record
class Push:
    """A push event's facts, made consistent."""

    ref: str
    before: str
    after: str
    created: bool
    deleted: bool
    forced: bool


def read_push(payload: Mapping[str, Any]) -> Push:
    ref, before, after = payload.get("ref"), _oid(payload, "before"), _oid(payload, "after")
    if not isinstance(ref, str):
        raise GuardsError("the push payload has no ref; cannot judge the push")
    deleted = payload.get("deleted") is True or is_zero(after)
    created = is_zero(before) and not deleted
    forced = payload.get("forced") is True and not created and not deleted
    return Push(ref, before, after, created, deleted, forced)


def _oid(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not is_oid(value):
        raise GuardsError(f"the push payload's {key} is not a commit id; cannot judge the push")
    return value


def push_findings(
    push: Push,
    patterns: Sequence[str],
    everywhere: bool,
    rewrites: bool | None,
    pulls: Sequence[Mapping[str, Any]] | None,
) -> list[Finding]:
    """REWRITES: git's view (before not an ancestor of after), None when not checkable.
    PULLS: the head commit's pull requests, None without a token."""
    branch = branch_of(push.ref)
    if branch is None:
        return [Finding("no_direct_push", Outcome.PASS, f"{push.ref} is not a branch")]
    pattern = protecting_pattern(branch, patterns)
    found: list[Finding] = []
    if pattern is not None:
        found += pushed_deletion(push, branch, pattern)
        found += pushed_directly(push, branch, pattern, pulls)
    if pattern is not None or everywhere:
        found += pushed_force(push, branch, pattern, rewrites)
    if found:
        return found
    what = "merged pull request" if pattern else "not protected"
    return [Finding("no_direct_push", Outcome.PASS, f"push to {branch}: {what}")]


def pushed_deletion(push: Push, branch: str, pattern: str) -> Iterator[Finding]:
    if push.deleted:
        yield Finding(
            "no_branch_deletion",
            Outcome.FAIL,
            f"protected branch {branch} (pattern {pattern!r}) was deleted; restore it from "
            f"{push.before[:12]} (git push origin {push.before}:refs/heads/{branch})",
        )


def pushed_force(
    push: Push, branch: str, pattern: str | None, rewrites: bool | None
) -> Iterator[Finding]:
    if push.created or push.deleted or not (push.forced or rewrites):
        return
    how = "the payload says forced" if push.forced else "before is not an ancestor of after"
    what = f"protected branch {branch} (pattern {pattern!r})" if pattern else f"branch {branch}"
    yield Finding(
        "no_force_push",
        Outcome.FAIL,
        f"{what} was force-pushed ({how}): {push.before[:12]} -> {push.after[:12]}; "
        f"restore {push.before[:12]} and land the change through a pull request",
    )


def pushed_directly(
    push: Push, branch: str, pattern: str, pulls: Sequence[Mapping[str, Any]] | None
) -> Iterator[Finding]:
    if push.deleted:
        return
    if pulls is None:
        yield Finding(
            "no_direct_push",
            Outcome.UNKNOWN,
            f"push to protected branch {branch}: whether {push.after[:12]} came through a "
            "pull request needs a token (GITHUB_TOKEN) to ask GitHub",
        )
        return
    merged = [p for p in pulls if _merged_into(p, None if push.created else branch)]
    if not merged:
        yield Finding(
            "no_direct_push",
            Outcome.FAIL,
            f"{push.after[:12]} was pushed to protected branch {branch} (pattern {pattern!r}) "
            f"without a merged pull request{_listed(pulls)}; revert it and open a pull request",
        )


def _merged_into(pull: Mapping[str, Any], branch: str | None) -> bool:
    base = pull.get("base")
    base_ref = base.get("ref") if isinstance(base, dict) else None
    return bool(pull.get("merged_at")) and (branch is None or base_ref == branch)


def _listed(pulls: Sequence[Mapping[str, Any]]) -> str:
    numbers = [f"#{p.get('number')}" for p in pulls]
    return f" (associated, not merged into it: {', '.join(numbers)})" if numbers else ""


def pr_findings(
    pr: Mapping[str, Any], patterns: Sequence[str], allowed: Sequence[str] = ()
) -> list[Finding]:
    """head_branch_not_protected; a head matching ALLOWED (``allowed-pr-heads``, e.g. a
    release branch merged back into main) passes and the finding says why."""
    head = _part(pr, "head")
    ref = head.get("ref")
    if not isinstance(ref, str) or not ref:
        raise GuardsError("the pull_request payload has no head.ref; cannot judge the PR")
    pattern = protecting_pattern(ref, patterns)
    allowed_by = protecting_pattern(ref, allowed) if pattern else None
    if allowed_by is not None:
        why = f"head branch {ref} is protected (pattern {pattern!r}) but may open a pull request"
        why += f" (protected-branch.allowed-pr-heads {allowed_by!r})"
        return [Finding("head_branch_not_protected", Outcome.PASS, why)]
    found = list(head_is_protected(pr, ref, pattern))
    return found or [Finding("head_branch_not_protected", Outcome.PASS, _pr_ok(pr, ref, pattern))]


def head_is_protected(pr: Mapping[str, Any], ref: str, pattern: str | None) -> Iterator[Finding]:
    if pattern is not None and not from_fork(pr):
        yield Finding(
            "head_branch_not_protected",
            Outcome.FAIL,
            f"the pull request's head branch {ref} is itself protected (pattern {pattern!r}); "
            "open it from a topic branch: git switch -c <topic> && git push origin <topic>",
        )


def from_fork(pr: Mapping[str, Any]) -> bool:
    """Head and base in different repositories. An unknown head repository (a deleted
    fork, a trimmed payload) counts as this one: fail closed."""
    head, base = _repo_name(pr, "head"), _repo_name(pr, "base")
    return head is not None and base is not None and head.lower() != base.lower()


def _pr_ok(pr: Mapping[str, Any], ref: str, pattern: str | None) -> str:
    if pattern is None:
        return f"head branch {ref} is not protected"
    return f"head branch {ref} is protected here, but comes from the fork {_repo_name(pr, 'head')}"


def _part(pr: Mapping[str, Any], side: str) -> Mapping[str, Any]:
    part = pr.get(side)
    return part if isinstance(part, dict) else {}


def _repo_name(pr: Mapping[str, Any], side: str) -> str | None:
    repo = _part(pr, side).get("repo")
    name = repo.get("full_name") if isinstance(repo, dict) else None
    return name if isinstance(name, str) and name else None
