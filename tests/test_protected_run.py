"""protected-branch inside `guards run`: events from recorded payloads, GitHub from a real
local server, repositories built with real git."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from protected_support import SLUG, ZERO, api_env, load, serve_branch
from pytest_httpserver import HTTPServer

from testing.git_repo import CliResult, guards_cli, pr_repo


class Run:
    def __init__(self, tmp: Path, policy: str = "") -> None:
        base = {"README.md": "# app\n", **({"guards.yaml": policy} if policy else {})}
        self.repo, self.base, self.head = pr_repo(tmp / "repo", base, {"src/app.py": "X = 1\n"})
        self.tmp = tmp

    def __call__(self, name: str, payload: dict[str, Any], env: dict[str, str]) -> CliResult:
        event = self.tmp / "event.json"
        event.write_text(json.dumps(payload))
        args = ["run", "--only", "protected-branch", "--format", "json"]
        args += ["--event-path", str(event), "--event-name", name]
        return guards_cli(*args, cwd=self.repo.path, env=env)

    def push(self, ref: str, before: str, after: str, **flags: bool) -> dict[str, Any]:
        payload = load("webhooks/push.ordinary.json")
        payload.update(ref=ref, before=before, after=after, **flags)
        return payload

    def pr(self, head_ref: str = "topic/widget") -> dict[str, Any]:
        payload = load("webhooks/pull_request.opened.json")
        payload["pull_request"]["head"].update(ref=head_ref, sha=self.head)
        payload["pull_request"]["base"]["sha"] = self.base
        return payload


def findings(result: CliResult) -> dict[str, str]:
    (guard,) = result.json()["guards"]
    return {f["rule"]: f["outcome"] for f in guard["findings"]}


def serve_pull(server: HTTPServer) -> None:
    """The PR as the API has it now (guards run refreshes the PR text with a token)."""
    pull = load("rest/commit-pulls.open.json")[0] | {"number": 12}
    server.expect_request(f"/repos/{SLUG}/pulls/12").respond_with_json(pull)


@pytest.fixture
def run(tmp_path: Path) -> Run:
    return Run(tmp_path)


def test_locally_with_nothing_to_judge_it_is_not_applicable(run: Run) -> None:
    result = guards_cli("run", "--only", "protected-branch", "--format", "json", cwd=run.repo.path)
    (guard,) = result.json()["guards"]
    assert result.code == 0 and guard["status"] == "not-applicable"
    assert "pre-push hook" in guard["note"]


def test_forced_push_to_main_fails_without_calling_github(run: Run, httpserver: HTTPServer) -> None:
    payload = run.push("refs/heads/main", run.base, run.head, forced=True)
    result = run("push", payload, api_env(httpserver, token=None))
    assert result.code == 1
    assert findings(result) == {"no_direct_push": "unknown", "no_force_push": "fail"}
    assert httpserver.log == []  # no token, no API calls


@pytest.mark.parametrize(
    ("pulls", "rules", "direct", "force"),
    [
        ([], "rest/rules-for-branch.main.json", "fail", "pass"),
        (
            load("rest/commit-pulls.merged.json"),
            "rest/rules-for-branch.no-non-fast-forward.json",
            "pass",
            "fail",
        ),
    ],
    ids=["direct-push", "merged-but-weak-settings"],
)
def test_push_to_main_with_a_token(
    run: Run, httpserver: HTTPServer, pulls: Any, rules: str, direct: str, force: str
) -> None:
    httpserver.expect_request(f"/repos/{SLUG}/commits/{run.head}/pulls").respond_with_json(pulls)
    serve_branch(httpserver, "main", load(rules))
    result = run("push", run.push("refs/heads/main", run.base, run.head), api_env(httpserver))
    assert result.code == 1
    got = findings(result)
    assert (got["no_direct_push"], got["blocks_force_push"]) == (direct, force)


def test_deleting_a_release_branch(run: Run, httpserver: HTTPServer) -> None:
    payload = run.push("refs/heads/release/1.0", run.base, ZERO, deleted=True)
    result = run("push", payload, api_env(httpserver, token=None))
    assert result.code == 1 and findings(result) == {"no_branch_deletion": "fail"}


def test_pull_request_from_main_fails(run: Run, httpserver: HTTPServer) -> None:
    result = run("pull_request", run.pr("main"), api_env(httpserver, token=None))
    assert result.code == 1 and findings(result) == {"head_branch_not_protected": "fail"}


def test_pull_request_settings_are_audited_with_a_token(run: Run, httpserver: HTTPServer) -> None:
    serve_pull(httpserver)
    serve_branch(httpserver, "main", load("rest/rules-for-branch.main.json"))
    result = run("pull_request", run.pr(), api_env(httpserver))
    assert result.code == 0, result.stdout + result.stderr
    got = findings(result)
    assert got["head_branch_not_protected"] == "pass"
    assert got["requires_pull_request"] == "pass"
    assert got["classic_protection_readable"] == "unknown"


def test_api_failure_inside_run_is_exit_2(run: Run, httpserver: HTTPServer) -> None:
    serve_pull(httpserver)
    httpserver.expect_request(f"/repos/{SLUG}/rules/branches/main").respond_with_json(
        {"message": "boom"}, status=500
    )
    result = run("pull_request", run.pr(), api_env(httpserver))
    assert result.code == 2
    assert "failed after 3 tries" in result.json()["guards"][0]["findings"][0]["message"]


def test_audit_settings_off_skips_the_settings(tmp_path: Path, httpserver: HTTPServer) -> None:
    run = Run(tmp_path, "protected-branch:\n  audit-settings: false\n")
    serve_pull(httpserver)
    result = run("pull_request", run.pr(), api_env(httpserver))
    assert result.code == 0
    assert findings(result) == {"head_branch_not_protected": "pass"}
    assert all("/rules/" not in r.path for r, _ in httpserver.log)


def test_policy_is_read_at_base(tmp_path: Path, httpserver: HTTPServer) -> None:
    run = Run(tmp_path, "protected-branch:\n  branches: [trunk]\n")
    run.repo.write({"guards.yaml": "protected-branch:\n  branches: [main]\n"})
    run.head = run.repo.commit("head changes the policy")
    result = run("pull_request", run.pr("trunk"), api_env(httpserver, token=None))
    assert result.code == 1 and findings(result) == {"head_branch_not_protected": "fail"}
