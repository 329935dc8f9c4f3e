"""git's pre-push protocol, judged: one ``<local ref> <local oid> <remote ref> <remote oid>``
line per ref update, decided by the REMOTE ref (the checked-out branch is irrelevant).

Pure logic: whether the remote oid is an ancestor of the local one is asked of a callback,
so the rules are tested without git.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from guards.checks.protected_branch import branch_patterns
from guards.config import ProtectedBranchSettings
from guards.core.oids import is_oid, is_zero
from guards.core.records import record
from guards.errors import GuardsError
from guards.finding import Finding, Outcome

# Is REMOTE an ancestor of LOCAL?  None when REMOTE is not in the local repository.
Ancestry = Callable[[str, str], "bool | None"]


@record
class RefUpdate:
    """One line of pre-push input, as git wrote it."""

    local_ref: str
    local_oid: str
    remote_ref: str
    remote_oid: str

    @property
    def deletes(self) -> bool:
        return is_zero(self.local_oid)

    @property
    def creates(self) -> bool:
        return is_zero(self.remote_oid)


def parse_lines(text: str) -> list[RefUpdate]:
    """Every non-blank line of pre-push input; a malformed line stops the push (exit 2)."""
    return [parse_line(line) for line in text.splitlines() if line.strip()]


def parse_line(line: str) -> RefUpdate:
    parts = line.split()
    if len(parts) != 4:
        raise GuardsError(
            f"pre-push input line {line!r} is not '<local ref> <local oid> <remote ref> "
            "<remote oid>'; run guards prepush from git's pre-push hook"
        )
    local_ref, local_oid, remote_ref, remote_oid = parts
    for oid in (local_oid, remote_oid):
        if not is_oid(oid.lower()):
            raise GuardsError(f"pre-push input line {line!r}: {oid!r} is not an object id")
    return RefUpdate(local_ref, local_oid.lower(), remote_ref, remote_oid.lower())


def judge(
    update: RefUpdate, settings: ProtectedBranchSettings, ancestry: Ancestry
) -> list[Finding]:
    """The findings for one ref update (a passing finding when nothing is wrong)."""
    ref = branch_patterns.normalize_ref(update.remote_ref)
    update = dataclasses.replace(
        update, remote_ref=ref
    )  # every odd spelling judged as git reads it
    branch = branch_patterns.branch_of(ref)
    if branch is None:
        return [_ok(update, f"{ref} is not a branch")]
    pattern = branch_patterns.protecting_pattern(branch, settings.branches)
    found = list(_violations(update, branch, pattern, settings, ancestry))
    if found:
        return found
    why = f"matches no protected pattern ({', '.join(settings.branches) or 'none'})"
    return [_ok(update, f"{branch} {why}" if pattern is None else f"{branch} updated")]


def _violations(
    update: RefUpdate,
    branch: str,
    pattern: str | None,
    settings: ProtectedBranchSettings,
    ancestry: Ancestry,
) -> Iterator[Finding]:
    if pattern is not None:
        yield from refuse_deletion(update, branch, pattern)
        yield from refuse_direct_push(update, branch, pattern)
    if pattern is not None or settings.block_force_push_everywhere:
        yield from refuse_force_push(update, branch, pattern, ancestry)


def refuse_deletion(update: RefUpdate, branch: str, pattern: str) -> Iterator[Finding]:
    if update.deletes:
        yield Finding(
            "no_branch_deletion",
            Outcome.FAIL,
            f"refused: deleting {branch}, a protected branch (pattern {pattern!r}); "
            "protected branches are never deleted; ask a maintainer if it must go",
            path=update.remote_ref,
        )


def refuse_direct_push(update: RefUpdate, branch: str, pattern: str) -> Iterator[Finding]:
    if not update.deletes:
        yield Finding(
            "no_direct_push",
            Outcome.FAIL,
            f"refused: pushing {update.local_ref} to {branch}, a protected branch "
            f"(pattern {pattern!r}); push to a feature branch instead "
            "(git push origin HEAD:refs/heads/<topic>) and open a pull request",
            path=update.remote_ref,
        )


def refuse_force_push(
    update: RefUpdate, branch: str, pattern: str | None, ancestry: Ancestry
) -> Iterator[Finding]:
    if update.deletes or update.creates:
        return
    ancestor = ancestry(update.remote_oid, update.local_oid)
    where = f"{branch}, a protected branch" if pattern else branch
    if ancestor is None:
        yield Finding(
            "no_force_push",
            Outcome.FAIL,
            f"refused: the remote's {branch} is at {update.remote_oid[:12]}, which is not in "
            f"this repository, so whether this push to {where} rewrites history cannot be "
            f"checked; fetch first (git fetch), then rebase onto it",
            path=update.remote_ref,
        )
    elif not ancestor:
        yield Finding(
            "no_force_push",
            Outcome.FAIL,
            f"refused: force push to {where}: the remote's {update.remote_oid[:12]} is not "
            f"an ancestor of {update.local_oid[:12]}; rebase onto the remote branch "
            "instead of rewriting it",
            path=update.remote_ref,
        )


def _ok(update: RefUpdate, message: str) -> Finding:
    return Finding("no_direct_push", Outcome.PASS, message, path=update.remote_ref)
