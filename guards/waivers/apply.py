"""Apply waivers to the guards' results: the one place a finding can become ``waived``.

``apply_waivers(ctx, cfg, results)`` gathers every source (policy waivers and exemptions from
guards.yaml at base, review waivers from the API, forged lines from the PR's own text) and
``apply`` (pure) rewrites the results: a failing finding matched by a grant of its guard becomes
outcome ``waived`` with who and why; expired policy waivers fail; waiver lines that do not count
and grants that match nothing are warnings. Errors (a guard that could not evaluate) are never
waived. Review waivers are asked of the API only while a failure is left to waive.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from guards.checks import GUARDS
from guards.config import Config
from guards.context import Context
from guards.finding import Finding, GuardResult, Outcome
from guards.waivers import gather, targets
from guards.waivers.forged import forged
from guards.waivers.model import Grant, Rejection
from guards.waivers.policy import exemption_grants, policy_grants

UNUSED_RULE = "waiver_used"


def apply_waivers(
    ctx: Context, cfg: Config, results: Sequence[GuardResult], today: datetime.date | None = None
) -> list[GuardResult]:
    """RESULTS with every waiver applied (see the module docstring)."""
    names = list(GUARDS)
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    grants, rejections = policy_grants(cfg.waivers, today, names)
    grants += exemption_grants(cfg.waivers, gather.pr_author(ctx), names)
    rejections += forged(gather.pr_texts(ctx), names)
    if any(_open(r, grants) for r in results):
        more, refused = gather.review_waivers(ctx, cfg.waivers.waive_role, names)
        grants, rejections = grants + more, rejections + refused
    return apply(results, grants, rejections)


def apply(
    results: Sequence[GuardResult], grants: Sequence[Grant], rejections: Sequence[Rejection]
) -> list[GuardResult]:
    used: set[int] = set()
    out = []
    for r in results:
        findings = [_waive(f, r.guard, grants, used) for f in r.findings]
        findings += _rejected(r, rejections, still_failing=any(f.failed for f in findings))
        out.append(dataclasses.replace(r, findings=tuple(findings)))
    return [_unused(r, grants, used) for r in out]


def _open(r: GuardResult, grants: Sequence[Grant]) -> bool:
    """R still has a failure that no grant so far waives."""
    mine = [g for g in grants if g.guard == r.guard]
    return any(
        f.outcome is Outcome.FAIL and not any(targets.matches(g.targets, f) for g in mine)
        for f in r.findings
    )


def _waive(f: Finding, guard: str, grants: Sequence[Grant], used: set[int]) -> Finding:
    if f.outcome is not Outcome.FAIL:
        return f
    for i, g in enumerate(grants):
        if g.guard == guard and targets.matches(g.targets, f):
            used.add(i)
            return dataclasses.replace(f, outcome=Outcome.WAIVED, waiver=g.waiver)
    return f


def _rejected(
    r: GuardResult, rejections: Sequence[Rejection], *, still_failing: bool
) -> list[Finding]:
    mine = [x for x in rejections if x.guard == r.guard or (not x.guard and still_failing)]
    return [Finding(x.rule, Outcome.FAIL if x.fails else Outcome.WARN, x.message) for x in mine]


def _unused(r: GuardResult, grants: Sequence[Grant], used: set[int]) -> GuardResult:
    idle = [
        Finding(UNUSED_RULE, Outcome.WARN, f"unused: {g.describe()} matches no failing finding")
        for i, g in enumerate(grants)
        if i not in used and g.guard == r.guard and g.source != "exempt"
    ]
    return dataclasses.replace(r, findings=(*r.findings, *idle)) if idle else r
