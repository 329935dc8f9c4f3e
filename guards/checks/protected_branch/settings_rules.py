"""Protection settings against ``protected-branch.require``: one finding per requirement.

Evidence decides: a requirement passes only when a readable source enforces it, and a bypass
fails only when an actor is seen. What this token cannot read is never taken as
"unprotected": classic protection that answers 403/404 is its own finding
(``classic_protection_readable``, outcome unknown) and does not fail the audit when the
readable sources already meet every requirement; when they do not, the failing finding says
that classic protection was not checked.
"""

from __future__ import annotations

from collections.abc import Sequence

from guards.checks.protected_branch.protection_sources import Evidence, Protection
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
        no_bypass_actors(p),
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


def no_bypass_actors(p: Protection) -> Finding:
    if p.actors:
        listed = "; ".join(f"{a.source}: {a.who} ({a.mode})" for a in p.actors)
        return Finding("no_bypass_actors", Outcome.FAIL, f"{p.branch}: may be bypassed by {listed}")
    if p.hidden:
        return Finding(
            "no_bypass_actors",
            Outcome.UNKNOWN,
            f"{p.branch}: no bypass actor seen, but the bypass list of {', '.join(p.hidden)} "
            "is not readable with this token (GitHub returns it only to a token that may "
            "edit the ruleset)",
        )
    return Finding("no_bypass_actors", Outcome.PASS, f"{p.branch}: no source lists a bypass actor")


def classic_protection_readable(p: Protection) -> Finding:
    if p.classic_readable:
        return Finding("classic_protection_readable", Outcome.PASS, f"{p.branch}: classic read")
    return Finding(
        "classic_protection_readable",
        Outcome.UNKNOWN,
        f"{p.branch}: {UNREADABLE_CLASSIC}; the rulesets alone were judged",
    )
