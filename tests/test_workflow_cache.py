"""The reusable workflow's fact cache (README "The fact cache"), run in the simulated runner.

A push to the default branch warms the cache with every Python file's facts at the pushed
commit and saves it; a pull request restores it and never warms or saves, so no pull request
writes what another one reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from pytest_httpserver import HTTPServer
from workflow_sim import HOOKS, Simulation, pr_event

from testing.git_repo import GitRepo, pr_repo

BASE = {
    "scope/FR-1.yaml": 'allow: ["src/**", "tests/**"]\n',
    "tests/test_app.py": "def test_app():\n    assert True\n",
}
GUARDS = "skip-set manifest-scope"  # skip-set reads Python: it writes facts to the cache
HEAD = {"tests/test_more.py": "import pytest\n\n\ndef test_x():\n    pass\n"}


def _repo(tmp: Path, branch: str) -> tuple[GitRepo, str, str]:
    return pr_repo(tmp / "origin", BASE, HEAD, branch=branch)


def test_a_push_to_the_default_branch_saves_and_a_pull_request_only_restores(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    repo, base, head = _repo(tmp_path, "FR-1-work")
    simulate = Simulation(tmp_path / "push", httpserver)
    payload = json.loads((HOOKS / "push.ordinary.json").read_text())
    default = payload["repository"]["default_branch"]
    payload.update(ref=f"refs/heads/{default}", before=base, after=head)
    pushed = simulate(repo, "push", payload, head, payload["ref"], ticket="FR-1", guards=GUARDS)
    job = pushed.jobs["guards"]
    assert job.step("Restore the fact cache").detail == {"restored": None}
    warmed = job.step("Warm the fact cache (pushes to the default branch only)")
    assert warmed.outcome == "success", warmed.stderr
    assert "2 Python file(s) at " + head[:12] in warmed.stdout  # tests/test_app.py, test_more.py
    saved = job.step("Save the fact cache (pushes to the default branch only)")
    assert saved.outcome == "success" and saved.detail["saved"].endswith(head)
    cached = tmp_path / "actions-cache" / saved.detail["saved"]
    assert len(list(cached.glob("*/*/*"))) >= 3  # both files' facts and head's reach record

    pr = Simulation(tmp_path / "pr", httpserver)(
        repo, "pull_request", pr_event("opened", base, head), head
    )
    job = pr.jobs["guards"]
    assert job.step("Restore the fact cache").detail == {"restored": saved.detail["saved"]}
    assert job.step("Warm the fact cache (pushes to the default branch only)").outcome == "skipped"
    assert job.step("Save the fact cache (pushes to the default branch only)").outcome == "skipped"


def test_a_push_to_another_branch_does_not_save(tmp_path: Path, httpserver: HTTPServer) -> None:
    repo, base, head = _repo(tmp_path, "FR-1-work")
    simulate = Simulation(tmp_path / "push", httpserver)
    payload = json.loads((HOOKS / "push.ordinary.json").read_text())
    payload.update(ref="refs/heads/FR-1-work", before=base, after=head)
    run = simulate(repo, "push", payload, head, payload["ref"])
    for name in ("Warm the fact cache", "Save the fact cache"):
        step = run.jobs["guards"].step(f"{name} (pushes to the default branch only)")
        assert step.outcome == "skipped"
