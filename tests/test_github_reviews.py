"""guards/github/reviews.py against a real local server (pytest-httpserver) replaying GitHub's
reviews, PR commits and collaborator permission: pagination, shapes, and the 250-commit cap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from guards.errors import GuardsError
from guards.github.client import GitHub
from guards.github.reviews import MAX_COMMITS, PullApi, pull_api

REST = Path(__file__).parent / "fixtures" / "github" / "rest"
PR = "/repos/octo-org/app/pulls/1347"
SHA = "c" * 40


def fixture(name: str) -> Any:
    return json.loads((REST / name).read_text(encoding="utf-8").replace("HEAD_SHA", SHA))


def api(server: HTTPServer) -> PullApi:
    return PullApi(GitHub(server.url_for("").rstrip("/"), "t", retries=0), "octo-org/app", 1347)


def test_reviews_follow_every_page(httpserver: HTTPServer) -> None:
    first, second = fixture("pull-reviews.json")
    link = f'<{httpserver.url_for(PR + "/reviews")}?per_page=100&page=2>; rel="next"'
    httpserver.expect_request(f"{PR}/reviews", query_string="per_page=100").respond_with_json(
        [first], headers={"Link": link}
    )
    httpserver.expect_request(
        f"{PR}/reviews", query_string="per_page=100&page=2"
    ).respond_with_json([second])
    reviews = api(httpserver).reviews()
    assert [(r.id, r.login, r.state, r.commit_id) for r in reviews] == [
        (2001, "agent-smith", "COMMENTED", SHA),
        (2002, "mia", "APPROVED", SHA),
    ]
    assert "guards-waive: skip-set" in reviews[1].body and not reviews[1].is_bot


def test_commit_people_include_co_authors(httpserver: HTTPServer) -> None:
    httpserver.expect_request(f"{PR}/commits").respond_with_json(fixture("pull-commits.json"))
    (people,) = api(httpserver).commits()
    assert people.logins == ("agent-smith", "agent-smith")
    assert people.names == ("Agent Smith", "Carol Co")
    assert people.emails == ("agent-smith@example.com", "7777+carol@users.noreply.github.com")


def test_a_pr_github_cannot_list_whole_is_an_error(httpserver: HTTPServer) -> None:
    one = fixture("pull-commits.json")[0]
    httpserver.expect_request(f"{PR}/commits").respond_with_json([one] * MAX_COMMITS)
    with pytest.raises(GuardsError, match="250 or more commits"):
        api(httpserver).commits()


def test_role_is_role_name_not_permission(httpserver: HTTPServer) -> None:
    path = "/repos/octo-org/app/collaborators/mia/permission"
    httpserver.expect_request(path).respond_with_json(
        fixture("collaborator-permission-maintain.json")
    )
    assert api(httpserver).role("mia") == "maintain"


@pytest.mark.parametrize(
    "answer",
    [{"permission": "admin"}, {"role_name": ""}, [], {"role_name": 3}],
    ids=["permission-only", "empty", "list", "not-text"],
)
def test_a_permission_without_role_name_is_an_error(httpserver: HTTPServer, answer: Any) -> None:
    httpserver.expect_request("/repos/octo-org/app/collaborators/mia/permission").respond_with_json(
        answer
    )
    with pytest.raises(GuardsError, match="role_name"):
        api(httpserver).role("mia")


@pytest.mark.parametrize("login", ["../admin", "a b", "", "x" * 60])
def test_a_login_that_is_not_one_is_refused_before_any_request(
    httpserver: HTTPServer, login: str
) -> None:
    with pytest.raises(GuardsError, match="not a GitHub login"):
        api(httpserver).role(login)
    assert httpserver.log == []


@pytest.mark.parametrize(
    "item",
    [{"id": "x"}, {"id": 1, "user": {"login": "m"}, "state": None, "body": ""}, "review"],
    ids=["id-not-int", "no-state", "not-an-object"],
)
def test_a_review_of_the_wrong_shape_is_an_error(httpserver: HTTPServer, item: Any) -> None:
    httpserver.expect_request(f"{PR}/reviews").respond_with_json([item])
    with pytest.raises(GuardsError, match="review"):
        api(httpserver).reviews()


def test_no_token_means_no_review_api() -> None:
    payload = {"repository": {"full_name": "octo-org/app"}}
    assert pull_api(None, {}, payload, 1) is None
    assert pull_api(GitHub(token="t"), {}, payload, 1) is not None
