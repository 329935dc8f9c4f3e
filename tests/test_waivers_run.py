"""Review waivers end to end: a real git repository, the real CLI, and a real local HTTP server
(pytest-httpserver) replaying GitHub's reviews, PR commits and collaborator permission in the
shapes of tests/fixtures/github/rest/."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pytest_httpserver import HTTPServer

from testing.git_repo import CliResult, GitRepo, guards_cli, pr_repo

REST = Path(__file__).parent / "fixtures" / "github" / "rest"
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text()
)
PR = "/repos/octo-org/app/pulls/1347"
TEST = "tests/test_api.py::test_upload"
BASE = {
    "tests/test_api.py": "def test_upload():\n    assert True\n\n\ndef test_list():\n    assert 1\n"
}
HEAD = {
    "tests/test_api.py": "import pytest\n\n\n@pytest.mark.skip(reason='storage down')\n"
    "def test_upload():\n    assert True\n\n\ndef test_list():\n    assert 1\n"
}


def fixture(name: str, **subst: str) -> Any:
    text = (REST / name).read_text(encoding="utf-8")
    for key, value in subst.items():
        text = text.replace(key, value)
    return json.loads(text)


@pytest.fixture
def pr(tmp_path: Path) -> tuple[GitRepo, str, str]:
    return pr_repo(tmp_path / "repo", BASE, HEAD)


def event(tmp_path: Path, base: str, head: str, author: str = "agent-smith", body: str = "") -> str:
    pull = fixture("pull.1347.json")
    pull["user"]["login"] = author
    pull["body"] = body
    pull["base"]["sha"], pull["head"]["sha"] = base, head
    payload = {
        "action": "submitted",
        "pull_request": pull,
        "repository": {"full_name": "octo-org/app"},
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return str(path)


def serve(
    server: HTTPServer,
    reviews: list[Any],
    commits: list[Any],
    roles: Mapping[str, str] | None = None,
    body: str = "",
) -> None:
    server.expect_request(PR).respond_with_json({**fixture("pull.1347.json"), "body": body})
    server.expect_request(f"{PR}/reviews").respond_with_json(reviews)
    server.expect_request(f"{PR}/commits").respond_with_json(commits)
    for login, role in (roles or {}).items():
        answer = fixture(f"collaborator-permission-{role}.json")
        path = f"/repos/octo-org/app/collaborators/{login}/permission"
        server.expect_request(path).respond_with_json(answer)


def run(server: HTTPServer, repo: GitRepo, event_path: str, *extra: str) -> CliResult:
    env = {
        "GITHUB_API_URL": server.url_for("").rstrip("/"),
        "GITHUB_TOKEN": "t0ken",
        "GUARDS_GITHUB_RETRIES": "0",
    }
    args = ["run", "--repo", str(repo.path), "--event-path", event_path]
    return guards_cli(*args, "--event-name", "pull_request_review", "--only", "skip-set", *extra,
                      env=env)  # fmt: skip # -- a packed call reads better here


def reviews_on(head: str) -> list[Any]:
    return fixture("pull-reviews.json", HEAD_SHA=head)


def commits_of(head: str, base: str, message: str | None = None) -> list[Any]:
    commits = fixture("pull-commits.json", HEAD_SHA=head, BASE_SHA=base)
    if message is not None:
        commits[0]["commit"]["message"] = message
    return commits


def test_no_review_fails(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    serve(httpserver, [], commits_of(head, base))
    result = run(httpserver, repo, event(tmp_path, base, head))
    assert result.code == 1, result.stderr
    assert (
        f"fail skip_set_not_grown [tests/test_api.py:4]: {TEST} is newly skipped" in result.stdout
    )


def test_maintainer_approval_on_head_waives(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    serve(httpserver, reviews_on(head), commits_of(head, base), {"mia": "maintain"})
    result = run(httpserver, repo, event(tmp_path, base, head), "--format", "json")
    assert result.code == 0, result.stderr
    doc = result.json()
    finding = doc["guards"][0]["findings"][0]
    assert doc["ok"] is True and doc["guards"][0]["status"] == "pass"
    assert finding["outcome"] == "waived" and finding["test"] == TEST
    assert finding["waiver"] == {
        "by": "mia",
        "reason": "upstream storage outage, tracked in #123",
        "source": "review",
    }


def test_waived_run_as_text_names_who_and_why(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    serve(httpserver, reviews_on(head), commits_of(head, base), {"mia": "maintain"})
    result = run(httpserver, repo, event(tmp_path, base, head))
    assert result.code == 0, result.stderr
    assert "waived skip_set_not_grown" in result.stdout
    assert "(waived by mia: upstream storage outage, tracked in #123)" in result.stdout


def test_waived_run_as_sarif_is_suppressed_and_valid(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    serve(httpserver, reviews_on(head), commits_of(head, base), {"mia": "maintain"})
    result = run(httpserver, repo, event(tmp_path, base, head), "--format", "sarif")
    assert result.code == 0, result.stderr
    doc = result.json()
    jsonschema.validate(doc, SARIF_SCHEMA)
    waived, rejected = doc["runs"][0]["results"]
    assert rejected["ruleId"] == "skip-set/waiver_line_counts" and rejected["level"] == "warning"
    assert "review 2001 by agent-smith cannot waive" in rejected["message"]["text"]
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "upstream storage outage, tracked in #123",
        }
    ]


def test_a_new_commit_voids_the_waiver(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    repo.write({"src/x.py": "X = 1\n"})
    newer = repo.commit("one more")
    serve(httpserver, reviews_on(head), commits_of(newer, base), {"mia": "maintain"})
    result = run(httpserver, repo, event(tmp_path, base, newer))
    assert result.code == 1, result.stderr
    assert f"it was given on commit {head[:12]}, not on the PR's head {newer[:12]}" in result.stdout


def test_a_co_author_cannot_waive(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    message = "Skip it\n\nCo-authored-by: Mia M <4242+mia@users.noreply.github.com>\n"
    serve(httpserver, reviews_on(head), commits_of(head, base, message), {"mia": "maintain"})
    result = run(httpserver, repo, event(tmp_path, base, head))
    assert result.code == 1, result.stderr
    assert (
        f"review 2002 by mia cannot waive: its author wrote or co-authored commit {head[:12]}"
        in (result.stdout)
    )


def test_write_role_cannot_waive(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    serve(httpserver, reviews_on(head), commits_of(head, base), {"mia": "write"})
    result = run(httpserver, repo, event(tmp_path, base, head))
    assert (
        result.code == 1 and "its author's role is write; waive-role is maintain" in result.stdout
    )


def test_the_pr_author_cannot_waive_even_when_approving(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    serve(httpserver, reviews_on(head), commits_of(head, base), {"mia": "maintain"})
    result = run(httpserver, repo, event(tmp_path, base, head, author="mia"))
    assert (
        result.code == 1
        and "review 2002 by mia cannot waive: its author is the PR's author" in (result.stdout)
    )


def test_a_waiver_in_the_description_is_reported_not_granted(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path
) -> None:
    repo, base, head = pr
    body = f"guards-waive: skip-set {TEST} -- it is flaky\n"
    serve(httpserver, [], commits_of(head, base), body=body)
    result = run(httpserver, repo, event(tmp_path, base, head, body=body))
    assert result.code == 1
    assert "a waiver in the PR description is not a waiver: ask a maintainer" in result.stdout


@pytest.mark.parametrize(
    ("endpoint", "status"),
    [("reviews", 500), ("reviews", 404), ("commits", 502), ("collaborators/mia/permission", 404)],
)
def test_an_api_failure_is_exit_2(
    httpserver: HTTPServer, pr: tuple[GitRepo, str, str], tmp_path: Path, endpoint: str, status: int
) -> None:
    repo, base, head = pr
    failing = f"/repos/octo-org/app/{endpoint}" if "/" in endpoint else f"{PR}/{endpoint}"
    httpserver.expect_request(failing).respond_with_json({"message": "no"}, status=status)
    serve(httpserver, reviews_on(head), commits_of(head, base), {})
    result = run(httpserver, repo, event(tmp_path, base, head))
    assert result.code == 2, result.stdout
    assert "GitHub API" in result.stderr and endpoint.split("/")[0] in result.stderr


def test_policy_waiver_works_locally_and_expires(tmp_path: Path) -> None:
    def policy(expires: str) -> dict[str, str]:
        line = f"  - {{guard: skip-set, target: '{TEST}', reason: outage, expires: {expires}, "
        return {**BASE, "guards.yaml": "waivers:\n" + line + "approved-by: alice}\n"}

    current, _, _ = pr_repo(tmp_path / "current", policy("2099-12-31"), HEAD)
    ok = guards_cli(
        "run",
        "--repo",
        str(current.path),
        "--base",
        "main",
        "--only",
        "skip-set",
        "--format",
        "json",
    )
    assert ok.code == 0, ok.stderr
    assert ok.json()["guards"][0]["findings"][0]["waiver"]["source"] == "policy"
    stale, _, _ = pr_repo(tmp_path / "stale", policy("2020-01-01"), HEAD)
    bad = guards_cli("run", "--repo", str(stale.path), "--base", "main", "--only", "skip-set")
    assert (
        bad.code == 1
        and "policy_waiver_current" in bad.stdout
        and "expired on 2020-01-01" in (bad.stdout)
    )


def test_a_waiver_line_in_a_commit_message_is_reported(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(BASE)
    repo.commit("base")
    repo.branch("feature")
    repo.write(HEAD)
    repo.commit(f"skip it\n\nguards-waive: skip-set {TEST} -- flaky")
    result = guards_cli("run", "--repo", str(repo.path), "--base", "main", "--only", "skip-set")
    assert result.code == 1
    assert (
        "a waiver in the message of commit" in result.stdout and "is not a waiver" in result.stdout
    )
