"""`guards protection audit` against a real local HTTP server replaying recorded responses."""

from __future__ import annotations

from pathlib import Path

import pytest
from protected_support import SLUG, api_env, load, serve_branch
from pytest_httpserver import HTTPServer

from testing.git_repo import CliResult, GitRepo, guards_cli

NO_NFF = load("rest/rules-for-branch.no-non-fast-forward.json")


def audit(server: HTTPServer, cwd: Path, *args: str, token: str | None = "t0ken") -> CliResult:
    return guards_cli(
        "protection", "audit", "--repo", SLUG, *args, cwd=cwd, env=api_env(server, token=token)
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = GitRepo(tmp_path / "checkout")
    repo.write({"guards.yaml": "protected-branch:\n  require: {status-checks: [guards]}\n"})
    repo.commit("policy")
    return repo.path


def test_ruleset_without_non_fast_forward_fails_with_a_table(
    httpserver: HTTPServer, checkout: Path
) -> None:
    serve_branch(httpserver, "main", NO_NFF, classic_status=403)
    result = audit(httpserver, checkout, "--branch", "main")
    assert result.code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"guards protection audit: {SLUG} (policy guards.yaml@")
    row = next(line for line in lines if "blocks_force_push" in line)
    assert row.split()[:3] == ["main", "blocks_force_push", "fail"]
    assert "no active ruleset blocks force pushes" in row
    assert any("classic_protection_readable" in x and " unknown " in x for x in lines)
    assert lines[-1] == "requirements not met (exit 1)"


def test_every_requirement_met_passes_although_classic_is_unreadable(
    httpserver: HTTPServer, checkout: Path
) -> None:
    serve_branch(httpserver, "main", load("rest/rules-for-branch.main.json"), classic_status=404)
    result = audit(httpserver, checkout, "--branch", "main", "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    doc = result.json()
    assert doc["ok"] is True and doc["repo"] == SLUG
    (branch,) = doc["branches"]
    outcomes = {f["rule"]: f["outcome"] for f in branch["findings"]}
    assert outcomes["classic_protection_readable"] == "unknown"
    assert outcomes["requires_status_checks"] == "pass"  # "guards / guards" meets "guards"
    assert set(outcomes.values()) == {"pass", "unknown"}


def test_branches_are_listed_through_pagination_and_matched(
    httpserver: HTTPServer, checkout: Path
) -> None:
    page2 = httpserver.url_for(f"/repos/{SLUG}/branches") + "?per_page=100&page=2"
    httpserver.expect_request(
        f"/repos/{SLUG}/branches", query_string="per_page=100"
    ).respond_with_json(
        load("rest/branches.page1.json"), headers={"Link": f'<{page2}>; rel="next"'}
    )
    httpserver.expect_request(
        f"/repos/{SLUG}/branches", query_string="per_page=100&page=2"
    ).respond_with_json(load("rest/branches.page2.json"))
    for branch in ("main", "release/1.0", "release/2.0"):
        serve_branch(httpserver, branch, load("rest/rules-for-branch.main.json"))
    result = audit(httpserver, checkout, "--format", "json")
    assert result.code == 0, result.stderr
    audited = [b["branch"] for b in result.json()["branches"]]
    assert audited == ["main", "release/1.0", "release/2.0"]  # not release/1.0/hotfix, master-notes
    assert sum(r.path.endswith("/rulesets/7") for r, _ in httpserver.log) == 1  # fetched once


def test_no_matching_branch_is_exit_2(httpserver: HTTPServer, checkout: Path) -> None:
    httpserver.expect_request(f"/repos/{SLUG}/branches").respond_with_json(
        load("rest/branches.page2.json")[:1]
    )
    result = audit(httpserver, checkout)
    assert result.code == 2 and "name the branches with --branch" in result.stderr


def test_readable_classic_protection_and_bypass_actors(
    httpserver: HTTPServer, checkout: Path
) -> None:
    classic = load("rest/branch-protection.main.json")
    classic["enforce_admins"]["enabled"] = False
    serve_branch(
        httpserver,
        "main",
        load("rest/rules-for-branch.main.json"),
        ruleset=load("rest/ruleset.7.bypass.json"),
        classic=classic,
    )
    result = audit(httpserver, checkout, "--branch", "main")
    assert result.code == 1
    row = next(line for line in result.stdout.splitlines() if "no_bypass_actors" in line)
    assert "Team 234 (always)" in row and "OrganizationAdmin (pull_request)" in row
    assert "repository administrators (enforce_admins off)" in row


def test_rate_limit_is_exit_2(httpserver: HTTPServer, checkout: Path) -> None:
    httpserver.expect_request(f"/repos/{SLUG}/rules/branches/main").respond_with_json(
        {"message": "API rate limit exceeded"},
        status=403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1767225600"},
    )
    result = audit(httpserver, checkout, "--branch", "main")
    assert result.code == 2 and "rate limit" in result.stderr and "1767225600" in result.stderr


def test_server_errors_are_retried_then_exit_2(httpserver: HTTPServer, checkout: Path) -> None:
    httpserver.expect_request(f"/repos/{SLUG}/rules/branches/main").respond_with_json(
        {"message": "Server Error"}, status=502
    )
    result = audit(httpserver, checkout, "--branch", "main")
    assert result.code == 2 and "failed after 3 tries (HTTP 502)" in result.stderr
    assert len(httpserver.log) == 3  # GUARDS_GITHUB_RETRIES=2


def test_a_transient_500_recovers(httpserver: HTTPServer, checkout: Path) -> None:
    httpserver.expect_ordered_request(f"/repos/{SLUG}/rules/branches/main").respond_with_json(
        {"message": "oops"}, status=500
    )
    serve_branch(httpserver, "main", load("rest/rules-for-branch.main.json"))
    result = audit(httpserver, checkout, "--branch", "main")
    assert result.code == 0, result.stdout + result.stderr


def test_classic_5xx_is_not_taken_as_unreadable(httpserver: HTTPServer, checkout: Path) -> None:
    serve_branch(httpserver, "main", load("rest/rules-for-branch.main.json"), classic_status=503)
    result = audit(httpserver, checkout, "--branch", "main")
    assert result.code == 2 and "protection" in result.stderr


def test_repository_not_found_is_exit_2(httpserver: HTTPServer, checkout: Path) -> None:
    httpserver.expect_request(f"/repos/{SLUG}/rules/branches/main").respond_with_json(
        {"message": "Not Found"}, status=404
    )
    result = audit(httpserver, checkout, "--branch", "main")
    assert result.code == 2 and "HTTP 404" in result.stderr


def test_config_file_and_bad_slug(httpserver: HTTPServer, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("protected-branch:\n  require: {approvals: 3}\n")
    serve_branch(httpserver, "main", load("rest/rules-for-branch.main.json"))
    result = audit(httpserver, tmp_path, "--branch", "main", "--config", str(policy))
    assert result.code == 1 and f"policy {policy}" in result.stdout
    assert "at most 1 required today" in result.stdout
    bad = guards_cli("protection", "audit", "--repo", "../etc", env=api_env(httpserver))
    assert bad.code == 2 and "is not OWNER/NAME" in bad.stderr


def test_without_a_token_the_rules_endpoint_still_answers(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_branch(httpserver, "main", load("rest/rules-for-branch.main.json"))
    result = audit(httpserver, tmp_path, "--branch", "main", token=None)
    assert result.code == 0, result.stderr
    assert all(r.headers.get("Authorization") is None for r, _ in httpserver.log)
