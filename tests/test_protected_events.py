"""Pure logic, no git: push and pull_request payloads against the protected branches."""

from __future__ import annotations

from typing import Any

import pytest
from protected_support import ZERO, load

from guards.checks.protected_branch.push_events import pr_findings, push_findings, read_push
from guards.errors import GuardsError
from guards.finding import Outcome

PATTERNS = ("main", "master", "release/*")
MERGED = load("rest/commit-pulls.merged.json")


def judged(
    payload: dict[str, Any],
    *,
    rewrites: bool | None = None,
    pulls: Any = None,
    everywhere: bool = False,
) -> dict[str, Outcome]:
    findings = push_findings(read_push(payload), PATTERNS, everywhere, rewrites, pulls)
    return {f.rule: f.outcome for f in findings}


def test_recorded_forced_push_to_main_fails() -> None:
    assert judged(load("webhooks/push.forced.json"), pulls=MERGED) == {
        "no_force_push": Outcome.FAIL
    }


def test_recorded_deletion_fails_only_as_a_deletion() -> None:
    got = judged(load("webhooks/push.branch-deleted.json"), pulls=[])
    assert got == {"no_branch_deletion": Outcome.FAIL}


def test_recorded_creation_is_not_a_force_push() -> None:
    payload = load("webhooks/push.branch-created.json")
    payload["forced"] = True  # GitHub sets forced on creations too
    assert judged(payload, pulls=MERGED) == {"no_direct_push": Outcome.PASS}


def test_recorded_tag_is_not_a_branch() -> None:
    got = judged(load("webhooks/push.tag-created.json"), pulls=[])
    assert got == {"no_direct_push": Outcome.PASS}


@pytest.mark.parametrize(
    ("pulls", "outcome"),
    [
        (None, Outcome.UNKNOWN),
        ([], Outcome.FAIL),
        (load("rest/commit-pulls.open.json"), Outcome.FAIL),
        (load("rest/commit-pulls.other-base.json"), Outcome.FAIL),
    ],
)
def test_direct_push_to_main(pulls: Any, outcome: Outcome) -> None:
    assert judged(load("webhooks/push.ordinary.json"), pulls=pulls) == {"no_direct_push": outcome}


def test_a_merged_pr_into_main_passes() -> None:
    assert judged(load("webhooks/push.ordinary.json"), pulls=MERGED) == {
        "no_direct_push": Outcome.PASS
    }


def test_creation_accepts_a_pr_merged_elsewhere() -> None:
    payload = load("webhooks/push.branch-created.json")
    got = judged(payload, pulls=load("rest/commit-pulls.other-base.json"))
    assert got == {"no_direct_push": Outcome.PASS}


def test_claimed_creation_with_a_real_before_is_judged_as_an_update() -> None:
    payload = load("webhooks/push.forced.json")
    payload["created"] = True
    assert judged(payload, pulls=MERGED) == {"no_force_push": Outcome.FAIL}


def test_deletion_by_object_id_even_with_false_flags() -> None:
    payload = load("webhooks/push.ordinary.json")
    payload["after"] = ZERO
    assert judged(payload) == {"no_branch_deletion": Outcome.FAIL}


def test_git_sees_a_rewrite_the_payload_hides() -> None:
    got = judged(load("webhooks/push.ordinary.json"), rewrites=True, pulls=MERGED)
    assert got == {"no_force_push": Outcome.FAIL}


@pytest.mark.parametrize(("everywhere", "outcome"), [(False, Outcome.PASS), (True, Outcome.FAIL)])
def test_force_push_to_a_topic_branch(everywhere: bool, outcome: Outcome) -> None:
    payload = load("webhooks/push.forced.json")
    payload["ref"] = "refs/heads/topic"
    got = judged(payload, everywhere=everywhere)
    rule = "no_force_push" if everywhere else "no_direct_push"
    assert got == {rule: outcome}


@pytest.mark.parametrize("key", ["before", "after", "ref"])
def test_a_push_payload_without_its_facts_is_an_error(key: str) -> None:
    payload = load("webhooks/push.ordinary.json")
    payload[key] = None
    with pytest.raises(GuardsError):
        read_push(payload)


def pr(head_ref: str, head_repo: str | None = "octo-org/app") -> dict[str, Any]:
    payload = load("webhooks/pull_request.opened.json")["pull_request"]
    payload["head"]["ref"] = head_ref
    payload["head"]["repo"] = {"full_name": head_repo} if head_repo else None
    return dict(payload)


@pytest.mark.parametrize(
    ("head_ref", "head_repo", "outcome"),
    [
        ("topic/widget", "octo-org/app", Outcome.PASS),
        ("main", "octo-org/app", Outcome.FAIL),
        ("release/1.0", "octo-org/app", Outcome.FAIL),
        ("main", "OCTO-ORG/App", Outcome.FAIL),
        ("main", None, Outcome.FAIL),
        ("main", "someone/app", Outcome.PASS),
        ("release/1.0/x", "octo-org/app", Outcome.PASS),
    ],
)
def test_pull_request_head(head_ref: str, head_repo: str | None, outcome: Outcome) -> None:
    (finding,) = pr_findings(pr(head_ref, head_repo), PATTERNS)
    assert (finding.rule, finding.outcome) == ("head_branch_not_protected", outcome)


def test_pull_request_without_head_ref_is_an_error() -> None:
    payload = pr("main")
    payload["head"] = {}
    with pytest.raises(GuardsError):
        pr_findings(payload, PATTERNS)
