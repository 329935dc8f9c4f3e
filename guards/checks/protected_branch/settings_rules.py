"""Protection settings against ``protected-branch.require``: one finding per requirement.

Evidence decides: a requirement passes only when a readable source enforces it, and a bypass
fails only when an actor is seen. What this token cannot read is never taken as
"unprotected": classic protection that answers 403/404 is its own finding
(``classic_protection_readable``, outcome unknown) and does not fail the audit when the
readable sources already meet every requirement; when they do not, the failing finding says
that classic protection was not checked.

A bypass actor is a finding only on a source that carries a required rule (an actor of a
ruleset that only checks commit messages bypasses nothing the policy asks for). Classic
``enforce_admins: false`` is not a finding when an active ruleset binds administrators (its
bypass list is readable and names no admin role) and on its own carries every required rule:
admins are held by that ruleset whatever classic protection says.
"""

from __future__ import annotations

from collections.abc import Sequence

from guards.checks.protected_branch.protection_sources import Actor, Evidence, Protection
from guards.config import Require
from guards.finding import Finding, Outcome

UNREADABLE_CLASSIC = (
    "classic protection is not readable with this token (needs Administration: read), "
    "so it was not checked"
)


def evaluate(p: Protection, req: Require) -> list[Finding]:
    """Every requirement's finding for one branch, in a stable order."""
    return [
        requires_pull_request(p),
        requires_approvals(p, req.approvals),
        blocks_force_push(p, req.block_force_push),
        blocks_deletion(p, req.block_deletion),
        requires_status_checks(p, req.status_checks),
        no_bypass_actors(p, req),
        classic_protection_readable(p),
    ]


def _judge(rule: str, p: Protection, met_by: Sequence[Evidence], met: str, unmet: str) -> Finding:
    if met_by:
        sources = ", ".join(e.source for e in met_by)
        return Finding(rule, Outcome.PASS, f"{p.branch}: {met} ({sources})")
    checked = "no active ruleset" + (" or classic protection" if p.classic_readable else "")
    tail = "" if p.classic_readable else f"; {UNREADABLE_CLASSIC}"
    return Finding(rule, Outcome.FAIL, f"{p.branch}: {checked} {unmet}{tail}")


def _not_required(rule: str, p: Protection, what: str) -> Finding:
    return Finding(rule, Outcome.PASS, f"{p.branch}: {what} not required by policy")


def requires_pull_request(p: Protection) -> Finding:
    met_by = [e for e in p.evidence if e.pull_request]
    return _judge(
        "requires_pull_request",
        p,
        met_by,
        "changes must come through a pull request",
        "requires a pull request before merging",
    )


def requires_approvals(p: Protection, wanted: int) -> Finding:
    if wanted <= 0:
        return _not_required("requires_approvals", p, "approvals")
    met_by = [e for e in p.evidence if e.pull_request and e.approvals >= wanted]
    best = max((e.approvals for e in p.evidence if e.pull_request), default=None)
    have = "" if best is None else f" (at most {best} required today)"
    return _judge(
        "requires_approvals",
        p,
        met_by,
        f"at least {wanted} approving review(s) required",
        f"requires at least {wanted} approving review(s){have}",
    )


def blocks_force_push(p: Protection, wanted: bool) -> Finding:
    if not wanted:
        return _not_required("blocks_force_push", p, "blocking force pushes")
    met_by = [e for e in p.evidence if e.blocks_force_push]
    return _judge("blocks_force_push", p, met_by, "force pushes are blocked", "blocks force pushes")


def blocks_deletion(p: Protection, wanted: bool) -> Finding:
    if not wanted:
        return _not_required("blocks_deletion", p, "blocking deletion")
    met_by = [e for e in p.evidence if e.blocks_deletion]
    return _judge("blocks_deletion", p, met_by, "deletion is blocked", "blocks deletion")


def context_satisfies(context: str, name: str) -> bool:
    """A required context meets NAME when equal to it or ending in ``/ NAME``."""
    return context == name or context.endswith(f"/ {name}")


def requires_status_checks(p: Protection, names: Sequence[str]) -> Finding:
    if not names:
        return _not_required("requires_status_checks", p, "status checks")
    missing = [n for n in names if not _check_met(p, n)]
    if not missing:
        met_by = [e for e in p.evidence if any(_check_met_by(e, n) for n in names)]
        return _judge("requires_status_checks", p, met_by, f"required: {', '.join(names)}", "")
    required = sorted({c for e in p.evidence for c in e.contexts})
    listed = ", ".join(required) or "none"
    unmet = f"requires the status check(s) {', '.join(missing)} (required today: {listed})"
    return _judge("requires_status_checks", p, [], "", unmet)


def _check_met(p: Protection, name: str) -> bool:
    return any(_check_met_by(e, name) for e in p.evidence)


def _check_met_by(e: Evidence, name: str) -> bool:
    return any(context_satisfies(c, name) for c in e.contexts)


ADMIN_ACTORS = frozenset({"RepositoryRole 5", "OrganizationAdmin", "EnterpriseOwner"})
CLASSIC, ADMINS_UNBOUND = "classic protection", "enforce_admins off"


def carries(e: Evidence, req: Require) -> bool:
    """E enforces at least one of the policy's requirements."""
    return (
        e.pull_request
        or (req.block_force_push and e.blocks_force_push)
        or (req.block_deletion and e.blocks_deletion)
        or any(_check_met_by(e, n) for n in req.status_checks)
    )


def carries_all(e: Evidence, req: Require) -> bool:
    """E alone enforces every requirement of the policy."""
    return (
        e.pull_request
        and e.approvals >= req.approvals
        and (e.blocks_force_push or not req.block_force_push)
        and (e.blocks_deletion or not req.block_deletion)
        and all(_check_met_by(e, n) for n in req.status_checks)
    )


def binds_admins(p: Protection, e: Evidence) -> bool:
    """E is a ruleset whose readable bypass list names no administrator role."""
    return (
        e.source != CLASSIC
        and e.source not in p.hidden
        and not any(a.source == e.source and a.who in ADMIN_ACTORS for a in p.actors)
    )


def relevant_actors(p: Protection, req: Require) -> list[Actor]:
    """The actors who can bypass something the policy requires."""
    carrying = {e.source for e in p.evidence if carries(e, req)}
    admins_held = any(carries_all(e, req) and binds_admins(p, e) for e in p.evidence)
    return [
        a
        for a in p.actors
        if a.source in carrying
        and not (admins_held and a.source == CLASSIC and a.mode == ADMINS_UNBOUND)
    ]


def no_bypass_actors(p: Protection, req: Require) -> Finding:
    actors = relevant_actors(p, req)
    if actors:
        listed = "; ".join(f"{a.source}: {a.who} ({a.mode})" for a in actors)
        return Finding("no_bypass_actors", Outcome.FAIL, f"{p.branch}: may be bypassed by {listed}")
    if p.hidden:
        return Finding(
            "no_bypass_actors",
            Outcome.UNKNOWN,
            f"{p.branch}: no bypass actor seen, but the bypass list of {', '.join(p.hidden)} "
            "is not readable with this token (GitHub returns it only to a token that may "
            "edit the ruleset)",
        )
    ignored = (
        f" ({len(p.actors)} listed on sources that carry no required rule)" if p.actors else ""
    )
    return Finding(
        "no_bypass_actors", Outcome.PASS, f"{p.branch}: no source lists a bypass actor{ignored}"
    )


def classic_protection_readable(p: Protection) -> Finding:
    if p.classic_readable:
        return Finding("classic_protection_readable", Outcome.PASS, f"{p.branch}: classic read")
    return Finding(
        "classic_protection_readable",
        Outcome.UNKNOWN,
        f"{p.branch}: {UNREADABLE_CLASSIC}; the rulesets alone were judged",
    )
