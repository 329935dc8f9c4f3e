"""The workflows re-judge a PR when a review is submitted or dismissed (a review waiver), with no
permission beyond contents: read and pull-requests: read."""

from __future__ import annotations

from test_workflow_static import CI, GUARDS, readme_caller
from workflow_expr import interpolate

REVIEW_TYPES = ["submitted", "dismissed"]


def test_the_readme_caller_runs_on_reviews_with_every_pr_guard() -> None:
    doc = readme_caller()
    assert doc["on"]["pull_request_review"]["types"] == REVIEW_TYPES
    (job,) = doc["jobs"].values()
    guards = job["with"]["guards"]
    review = {
        "github": {"event_name": "pull_request_review", "event": {"pull_request": {"number": 1}}}
    }
    merge = {"github": {"event_name": "merge_group", "event": {}}}
    assert "spec-ref" in interpolate(guards, review) and interpolate(guards, merge) == "skip-set"


def test_the_dogfood_caller_runs_on_reviews_and_its_tests_do_not() -> None:
    assert CI["on"]["pull_request_review"]["types"] == REVIEW_TYPES
    assert "pull_request_review" in CI["jobs"]["tests"]["if"]


def test_no_new_permission() -> None:
    assert GUARDS["permissions"] == {"contents": "read", "pull-requests": "read"}
