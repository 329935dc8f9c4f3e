"""Pure logic, no HTTP: recorded rules / rulesets / classic protection -> one finding per
requirement."""

from __future__ import annotations

from typing import Any

import pytest
from protected_support import load

from guards.checks.protected_branch.protection_sources import Protection, protection
from guards.checks.protected_branch.settings_rules import context_satisfies, evaluate
from guards.config import Require
from guards.finding import Outcome

FULL = load("rest/rules-for-branch.main.json")
RULESET = {7: load("rest/ruleset.7.json")}


def outcomes(p: Protection, req: Require | None = None) -> dict[str, Outcome]:
    return {f.rule: f.outcome for f in evaluate(p, req or Require())}


def without(rule_type: str) -> list[dict[str, Any]]:
    return [r for r in FULL if r["type"] != rule_type]


def test_recorded_ruleset_meets_every_default_requirement() -> None:
    got = outcomes(protection("main", FULL, RULESET, None))
    assert got == {
        "requires_pull_request": Outcome.PASS,
        "requires_approvals": Outcome.PASS,
        "blocks_force_push": Outcome.PASS,
        "blocks_deletion": Outcome.PASS,
        "requires_status_checks": Outcome.PASS,
        "no_bypass_actors": Outcome.PASS,
        "classic_protection_readable": Outcome.UNKNOWN,
    }


@pytest.mark.parametrize(
    ("missing", "rule"),
    [
        ("non_fast_forward", "blocks_force_push"),
        ("deletion", "blocks_deletion"),
        ("pull_request", "requires_pull_request"),
    ],
)
def test_a_missing_rule_fails_its_requirement_only(missing: str, rule: str) -> None:
    got = outcomes(protection("main", without(missing), RULESET, None))
    failed = {r for r, o in got.items() if o is Outcome.FAIL}
    expected = {rule, "requires_approvals"} if missing == "pull_request" else {rule}
    assert failed == expected


def test_unreadable_classic_is_named_in_the_failure_not_called_unprotected() -> None:
    (finding,) = [
        f
        for f in evaluate(protection("main", without("non_fast_forward"), RULESET, None), Require())
        if f.rule == "blocks_force_push"
    ]
    assert finding.outcome is Outcome.FAIL
    assert "no active ruleset blocks force pushes" in finding.message
    assert "not readable with this token" in finding.message
    assert "unprotected" not in finding.message


def test_readable_classic_protection_counts_and_is_named() -> None:
    classic = load("rest/branch-protection.main.json")
    p = protection("main", [], {}, classic)
    got = outcomes(p, Require(approvals=2, status_checks=("guards",)))
    assert got["requires_pull_request"] is Outcome.PASS
    assert got["requires_approvals"] is Outcome.PASS  # the recording requires 2
    assert got["requires_status_checks"] is Outcome.PASS  # "guards / guards"
    assert got["classic_protection_readable"] is Outcome.PASS
    assert got["no_bypass_actors"] is Outcome.PASS  # enforce_admins on, no allowances


def test_classic_field_names_differ_from_rulesets() -> None:
    classic = load("rest/branch-protection.main.json")
    classic["allow_force_pushes"]["enabled"] = True
    classic["allow_deletions"]["enabled"] = True
    classic["enforce_admins"]["enabled"] = False
    got = outcomes(protection("main", [], {}, classic))
    assert got["blocks_force_push"] is Outcome.FAIL
    assert got["blocks_deletion"] is Outcome.FAIL
    assert got["no_bypass_actors"] is Outcome.FAIL


def test_rulesets_and_classic_add_up() -> None:
    classic = load("rest/branch-protection.main.json")
    classic["allow_force_pushes"]["enabled"] = True
    got = outcomes(protection("main", FULL, RULESET, classic))
    assert got["blocks_force_push"] is Outcome.PASS  # the ruleset blocks what classic allows


@pytest.mark.parametrize(
    ("wanted", "count", "outcome"),
    [(1, 1, Outcome.PASS), (2, 1, Outcome.FAIL), (0, 0, Outcome.PASS), (1, 0, Outcome.FAIL)],
)
def test_approvals(wanted: int, count: int, outcome: Outcome) -> None:
    rules = load("rest/rules-for-branch.main.json")
    for r in rules:
        if r["type"] == "pull_request":
            r["parameters"]["required_approving_review_count"] = count
    got = outcomes(protection("main", rules, RULESET, None), Require(approvals=wanted))
    assert got["requires_approvals"] is outcome


@pytest.mark.parametrize(
    ("context", "name", "ok"),
    [
        ("guards", "guards", True),
        ("guards / guards", "guards", True),
        ("CI / guards", "guards", True),
        ("ci/guards", "guards", False),
        ("guards-lite", "guards", False),
        ("ci / not-guards", "guards", False),
        ("guards / guards-skip", "guards", False),
    ],
)
def test_status_check_names(context: str, name: str, ok: bool) -> None:
    assert context_satisfies(context, name) is ok


def test_missing_status_check_lists_what_is_required() -> None:
    p = protection("main", FULL, RULESET, None)
    (f,) = [
        f
        for f in evaluate(p, Require(status_checks=("guards", "lint")))
        if f.rule == "requires_status_checks"
    ]
    assert f.outcome is Outcome.FAIL
    assert "lint" in f.message and "ci / test, guards / guards" in f.message


def test_bypass_actors_each_reported_with_mode() -> None:
    p = protection("main", FULL, {7: load("rest/ruleset.7.bypass.json")}, None)
    (f,) = [f for f in evaluate(p, Require()) if f.rule == "no_bypass_actors"]
    assert f.outcome is Outcome.FAIL
    assert "Team 234 (always)" in f.message and "OrganizationAdmin (pull_request)" in f.message


@pytest.mark.parametrize("ruleset", [load("rest/ruleset.7.read-only.json"), None])
def test_bypass_list_not_readable_is_unknown(ruleset: dict[str, Any] | None) -> None:
    got = outcomes(protection("main", FULL, {7: ruleset}, None))
    assert got["no_bypass_actors"] is Outcome.UNKNOWN
    assert Outcome.FAIL not in got.values()


def test_classic_bypass_allowances() -> None:
    classic = load("rest/branch-protection.main.json")
    classic["required_pull_request_reviews"]["bypass_pull_request_allowances"] = {
        "users": [{"login": "octocat"}],
        "teams": [{"slug": "justice-league"}],
        "apps": [{"slug": "octoapp"}],
    }
    (f,) = [
        f
        for f in evaluate(protection("main", [], {}, classic), Require())
        if f.rule == "no_bypass_actors"
    ]
    assert "user octocat" in f.message and "team justice-league" in f.message
    assert "app octoapp" in f.message


def test_policy_can_waive_requirements() -> None:
    p = protection("main", [], {}, None)
    req = Require(approvals=0, block_force_push=False, block_deletion=False)
    got = outcomes(p, req)
    assert got["requires_approvals"] is Outcome.PASS
    assert got["blocks_force_push"] is Outcome.PASS
    assert got["blocks_deletion"] is Outcome.PASS
    assert got["requires_pull_request"] is Outcome.FAIL  # always required


def test_tolerates_odd_shapes() -> None:
    rules = [{"type": "pull_request", "parameters": None}, {"type": "deletion"}, "junk"]
    p = protection("main", [r for r in rules if isinstance(r, dict)], {}, None)
    got = outcomes(p)
    assert got["requires_pull_request"] is Outcome.PASS
    assert got["requires_approvals"] is Outcome.FAIL
    assert got["no_bypass_actors"] is Outcome.UNKNOWN  # ruleset id unknown: list unreadable
