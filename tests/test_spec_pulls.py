"""PR text from the GitHub API (a re-run replays a stale payload): a real local HTTP server
(pytest-httpserver) replays a ``GET /repos/{o}/{r}/pulls/{n}`` response in GitHub's shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from guards import context
from guards.errors import GuardsError
from guards.github import pulls
from guards.github.client import GitHub, RateLimited, repository_slug
from testing.git_repo import CliResult, GitRepo, guards_cli, pr_repo

FIXTURE = Path(__file__).parent / "fixtures" / "github" / "rest" / "pull.1347.json"
PULL = json.loads(FIXTURE.read_text(encoding="utf-8"))
PATH = "/repos/octo-org/app/pulls/1347"
SPEC = "# Spec v1.0.0\n\n## 4. Composition\n\n### 4.1 Inputs\n\n### 4.2 Plan format\n\ntext\n"


def client(server: HTTPServer, retries: int = 2) -> GitHub:
    return GitHub(server.url_for(""), "t0ken", timeout=5, retries=retries, backoff=0)


def test_fetch_reads_title_and_body(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH, headers={"Authorization": "Bearer t0ken"}).respond_with_json(
        PULL
    )
    text = pulls.fetch(client(httpserver), "octo-org/app", 1347)
    assert text == pulls.PullText(PULL["title"], PULL["body"])


def test_null_body_is_empty(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_json({**PULL, "body": None})
    assert pulls.fetch(client(httpserver), "octo-org/app", 1347).body == ""


def test_5xx_is_retried_then_succeeds(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data("busy", status=502)
    httpserver.expect_ordered_request(PATH).respond_with_data("busy", status=503)
    httpserver.expect_ordered_request(PATH).respond_with_json(PULL)
    assert pulls.fetch(client(httpserver), "octo-org/app", 1347).title == PULL["title"]
    assert len(httpserver.log) == 3


def test_5xx_exhausted_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data("down", status=500)
    with pytest.raises(GuardsError, match=r"failed after 3 tries \(HTTP 500\)"):
        pulls.fetch(client(httpserver), "octo-org/app", 1347)
    assert len(httpserver.log) == 3


@pytest.mark.parametrize(
    ("status", "headers"),
    [(429, {"Retry-After": "60"}), (403, {"X-RateLimit-Remaining": "0"})],
)
def test_rate_limit_is_an_error(
    httpserver: HTTPServer, status: int, headers: dict[str, str]
) -> None:
    body = {"message": "API rate limit exceeded"}
    httpserver.expect_request(PATH).respond_with_json(body, status=status, headers=headers)
    with pytest.raises(RateLimited, match="rate limit"):
        pulls.fetch(client(httpserver), "octo-org/app", 1347)
    assert len(httpserver.log) == 1  # never retried


@pytest.mark.parametrize(
    "data",
    [[PULL], {"title": None, "body": "x"}, {"title": "t", "body": ["not", "text"]}],
    ids=["list", "no-title", "body-not-text"],
)
def test_not_a_pull_request_is_an_error(httpserver: HTTPServer, data: Any) -> None:
    httpserver.expect_request(PATH).respond_with_json(data)
    with pytest.raises(GuardsError, match=r"expected a pull request|body is not text"):
        pulls.fetch(client(httpserver), "octo-org/app", 1347)


def test_404_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_json({"message": "Not Found"}, status=404)
    with pytest.raises(GuardsError, match="HTTP 404: Not Found"):
        pulls.fetch(client(httpserver), "octo-org/app", 1347)


@pytest.mark.parametrize(
    ("env", "payload", "slug"),
    [
        ({"GITHUB_REPOSITORY": "octo-org/app"}, {}, "octo-org/app"),
        ({}, {"repository": {"full_name": "o/r"}}, "o/r"),
        ({"GITHUB_REPOSITORY": "a/b"}, {"repository": {"full_name": "o/r"}}, "a/b"),
        ({}, {}, None),
        ({}, {"repository": "o/r"}, None),
    ],
)
def test_repository_slug(env: dict[str, str], payload: dict[str, Any], slug: str | None) -> None:
    assert repository_slug(env, payload) == slug


@pytest.mark.parametrize("slug", ["../../etc", "o/r/x", "o r/x", "o/..", 5])
def test_bad_slug_is_an_error(slug: object) -> None:
    with pytest.raises(GuardsError, match="not an owner/name slug"):
        repository_slug({}, {"repository": {"full_name": slug}})


def test_no_token_means_no_request(httpserver: HTTPServer) -> None:
    env = {"GITHUB_API_URL": httpserver.url_for(""), "GITHUB_REPOSITORY": "octo-org/app"}
    assert context.github_client(env) is None  # no token: no client, no request
    assert httpserver.log == []


# ---- end to end: `guards run` on a pull_request event with a token ----------------------------


def _event(tmp: Path, body: str | None, title: str = "Plan steps") -> str:
    payload = {
        "action": "synchronize",
        "number": 1347,
        "repository": {"full_name": "octo-org/app"},
        "pull_request": {"number": 1347, "title": title, "body": body},
    }
    path = tmp / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return str(path)


def _run(tmp: Path, server: HTTPServer, body: str | None, *extra: str) -> CliResult:
    repo, base, head = _repo(tmp)
    env = {
        "GITHUB_TOKEN": "t0ken",
        "GITHUB_API_URL": server.url_for(""),
        "GUARDS_GITHUB_BACKOFF": "0",
    }
    return guards_cli(
        *("run", "--repo", str(repo.path), "--base", base, "--head", head, "--only", "spec-ref"),
        *("--event-path", _event(tmp, body), "--event-name", "pull_request", "--format", "json"),
        *extra,
        env=env,
    )


def _repo(tmp: Path) -> tuple[GitRepo, str, str]:
    return pr_repo(tmp / "repo", {"SPEC.md": SPEC, "a.py": "A = 1\n"}, {"a.py": "A = 2\n"})


def test_stale_payload_is_replaced_by_current_text(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_json({**PULL, "body": "Adds retries."})
    result = _run(tmp_path, httpserver, "Implements §4.2")
    assert result.code == 1, result.stderr
    (finding,) = result.json()["guards"][0]["findings"]
    assert finding["rule"] == "spec_cited" and "read from the GitHub API" in finding["message"]


def test_current_text_with_null_body_and_citing_title(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(PATH).respond_with_json({**PULL, "title": "FR-1: §4.2", "body": None})
    result = _run(tmp_path, httpserver, "nothing cited here")
    assert result.code == 0, result.stdout + result.stderr


def test_explicit_text_wins_over_the_api(tmp_path: Path, httpserver: HTTPServer) -> None:
    body = tmp_path / "body.md"
    body.write_text("Implements §4.1\n", encoding="utf-8")
    result = _run(tmp_path, httpserver, None, "--pr-title", "t", "--pr-body-file", str(body))
    assert result.code == 0, result.stdout + result.stderr
    assert httpserver.log == []


def test_explicit_title_still_takes_the_body_from_the_api(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(PATH).respond_with_json({**PULL, "body": "Implements §4.9"})
    result = _run(tmp_path, httpserver, "Implements §4.2", "--pr-title", "FR-1: §4.1")
    assert result.code == 1
    messages = [f["message"] for f in result.json()["guards"][0]["findings"]]
    assert any("§4.9" in m for m in messages)


def test_5xx_exhaustion_exits_2(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data("down", status=503)
    result = _run(tmp_path, httpserver, "Implements §4.2")
    assert result.code == 2
    assert "failed after 4 tries (HTTP 503)" in result.stderr
    assert len(httpserver.log) == 4


def test_rate_limit_exits_2(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {"message": "API rate limit exceeded"},
        status=403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000000"},
    )
    result = _run(tmp_path, httpserver, "Implements §4.2")
    assert result.code == 2
    assert "rate limit" in result.stderr and "1700000000" in result.stderr
