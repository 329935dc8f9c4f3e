"""The workflows re-judge a PR when a review is submitted or dismissed (a review waiver), with no
permission beyond contents: read and pull-requests: read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from test_workflow_run import BASE, BRANCH, VIOLATING
from test_workflow_static import CI, GUARDS, readme_caller
from workflow_expr import interpolate
from workflow_sim import REPOSITORY, Simulation, pr_event

from testing.git_repo import pr_repo

REVIEW_TYPES = ["submitted", "dismissed"]


def test_the_readme_caller_runs_on_reviews_with_every_pr_guard() -> None:
    doc = readme_caller()
    assert doc["on"]["pull_request_review"]["types"] == REVIEW_TYPES
    job = doc["jobs"]["guards"]  # beside the caller's own test job
    guards = job["with"]["guards"]
    review = {
        "github": {"event_name": "pull_request_review", "event": {"pull_request": {"number": 1}}}
    }
    merge = {"github": {"event_name": "merge_group", "event": {}}}
    on_review = interpolate(guards, review)
    assert "spec-ref" in on_review and "suppressions" in on_review
    assert interpolate(guards, merge) == "skip-set"


def test_the_dogfood_caller_runs_on_reviews_and_its_tests_do_not() -> None:
    assert CI["on"]["pull_request_review"]["types"] == REVIEW_TYPES
    assert "pull_request_review" in CI["jobs"]["tests"]["if"]


def test_no_new_permission() -> None:
    assert GUARDS["permissions"] == {"contents": "read", "pull-requests": "read"}


def _review_event(base: str, head: str) -> dict[str, Any]:
    payload = pr_event("opened", base, head)
    payload["action"] = "submitted"
    payload["review"] = {"id": 5, "state": "approved", "commit_id": head}
    return payload


@pytest.mark.parametrize(("role", "outcome"), [("maintain", "success"), ("write", "failure")])
def test_a_review_event_runs_the_gate_and_a_maintainers_waiver_lets_it_pass(
    tmp_path: Path, httpserver: HTTPServer, role: str, outcome: str
) -> None:
    repo, base, head = pr_repo(tmp_path / "origin", BASE, VIOLATING, branch=BRANCH)
    pull = f"/repos/{REPOSITORY}/pulls/2"
    waiver = "guards-waive: manifest-scope deploy/** .github/** -- ops change, OPS-3"
    review = {"id": 5, "user": {"login": "mia", "type": "User"}, "state": "APPROVED",
              "commit_id": head, "body": waiver}  # fmt: skip # -- a packed call reads better here
    httpserver.expect_request(f"{pull}/reviews").respond_with_json([review])
    httpserver.expect_request(f"{pull}/commits").respond_with_json(
        [
            {
                "sha": head,
                "commit": {"message": "grow", "author": {"name": "Codertocat"}},
                "author": {"login": "Codertocat"},
                "committer": None,
            }
        ]
    )
    httpserver.expect_request(
        f"/repos/{REPOSITORY}/collaborators/mia/permission"
    ).respond_with_json({"permission": "write", "role_name": role})
    run = Simulation(tmp_path, httpserver)(
        repo, "pull_request_review", _review_event(base, head), head
    )
    job = run.jobs["guards"]
    assert job.outcome == outcome, job.step("Run guards").stderr
    if outcome == "success":
        assert "| waived | changes\\_in\\_scope | deploy/prod.env |" in job.summary
        assert "mia (review): ops change, OPS-3" in job.summary
        assert run.outputs == {"ok": "true", "findings": "0"}
    else:
        assert "role is write; waive-role is maintain" in job.summary
