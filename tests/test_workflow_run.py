"""guards.yml and action.yml, run step by step with bash in a simulated runner.

tests/workflow_sim.py says exactly what is simulated. A violating PR fails the job and a clean
one passes, for every event the workflow must handle, with the annotations, summary and
outputs GitHub would show.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from workflow_sim import HOOKS, ROOT, WORKFLOW, Simulation, WorkflowRun, pr_event

from testing.git_repo import GitRepo, pr_repo

BASE = {
    "scope/FR-1.yaml": 'allow: ["src/**", "tests/**"]\n',
    "src/app.py": "def app():\n    return 1\n",
    "tests/test_app.py": "def test_app():\n    assert True\n",
}
CLEAN = {
    "src/app.py": "def app():\n    return 2\n",
    "tests/test_more.py": "def test_x():\n    pass\n",
}
VIOLATING = {**CLEAN, "deploy/prod.env": "TOKEN=1\n", ".github/workflows/x.yml": "on: push\n"}
BRANCH = "FR-1-work"


def build(tmp: Path, head: dict[str, str | None]) -> tuple[GitRepo, str, str]:
    return pr_repo(tmp / "origin", BASE, head, branch=BRANCH)


@pytest.fixture
def simulate(tmp_path: Path, httpserver: HTTPServer) -> Simulation:
    return Simulation(tmp_path, httpserver)


def show(run: WorkflowRun) -> None:
    """What a person sees on GitHub (printed with pytest -s)."""
    job = run.jobs["guards"]
    print(f"\n--- job guards: {job.outcome}; outputs {run.outputs}")
    for step in job.all_steps():
        print(f"    step {step.name!r}: {step.outcome} (exit {step.code})")
    for cmd in job.commands:
        print(f"    annotation {cmd.name} {cmd.properties}: {cmd.data}")
    print("--- step summary ---\n" + job.summary)


def test_violating_pr_fails_the_job(
    tmp_path: Path, simulate: Simulation, httpserver: HTTPServer
) -> None:
    repo, base, head = build(tmp_path, VIOLATING)
    run = simulate(repo, "pull_request", pr_event("opened", base, head), head)
    show(run)
    job = run.jobs["guards"]
    assert job.outcome == "failure"
    step = job.step("Run guards")
    assert (step.outcome, step.code) == ("failure", 1), step.stderr
    cmds = [(c.name, c.properties.get("file"), c.properties.get("title")) for c in job.commands]
    title = "manifest-scope: changes_in_scope"
    assert sorted(cmds) == [
        ("error", ".github/workflows/x.yml", title),
        ("error", "deploy/prod.env", title),
    ]
    assert job.summary.startswith(
        "## guards ❌ failed: 2 finding(s) fail the gate (manifest-scope: fail;"
    )
    assert "| fail | changes\\_in\\_scope | deploy/prod.env |" in job.summary
    assert run.outputs == {"ok": "false", "findings": "2"}
    assert run.jobs["sarif"].outcome == "skipped"
    # The PR's current text, then its reviews (review waivers), read with the job's token by
    # the JSON report's run and by the github run.
    paths = [r.path for r, _ in httpserver.log]
    assert set(paths) == {"/repos/octo/app/pulls/2", "/repos/octo/app/pulls/2/reviews"}
    assert paths.count("/repos/octo/app/pulls/2") == 2
    assert all(r.headers["Authorization"].endswith("simulated-token") for r, _ in httpserver.log)


def test_clean_pr_passes(tmp_path: Path, simulate: Simulation) -> None:
    repo, base, head = build(tmp_path, CLEAN)
    run = simulate(repo, "pull_request", pr_event("opened", base, head), head)
    show(run)
    job = run.jobs["guards"]
    assert job.outcome == "success", [s.stderr for s in job.all_steps()]
    assert [(c.name, c.data) for c in job.commands] == [
        ("notice", "guards passed: manifest-scope pass")
    ]
    assert job.summary.startswith(
        "## guards ✅ passed: 0 finding(s) fail the gate (manifest-scope: pass;"
    )
    assert (
        "| pass | changes\\_in\\_scope |  | 2 path(s) checked against scope/FR-1.yaml |"
        in job.summary
    )
    assert run.outputs == {"ok": "true", "findings": "0"}


def test_steps_run_in_order_and_install_from_the_actions_own_checkout(
    tmp_path: Path, simulate: Simulation
) -> None:
    repo, base, head = build(tmp_path, CLEAN)
    job = simulate(repo, "pull_request", pr_event("opened", base, head), head).jobs["guards"]
    assert [(s.name, s.outcome) for s in job.all_steps()] == [
        ("Check out the repository", "success"),
        ("Check out guards at guards-ref", "skipped"),
        ("Set up Python", "success"),
        ("Fetch head's test report", "skipped"),  # test-report is off by default
        ("Restore the fact cache", "success"),
        ("Run guards", "success"),
        ("Install guards from the action's checkout", "success"),
        ("guards run", "success"),
        ("Run guards (guards-ref)", "skipped"),
        ("Warm the fact cache (pushes to the default branch only)", "skipped"),  # a PR
        ("Save the fact cache (pushes to the default branch only)", "skipped"),
        ("Keep the full JSON report", "success"),
        ("Keep the SARIF report for the upload job", "skipped"),
    ]
    assert job.steps[0].with_ == {"fetch-depth": 0, "persist-credentials": False}
    assert job.step("Set up Python").with_ == {"python-version": "3.12"}
    assert simulate.runner is not None
    assert simulate.runner.pip_log.read_text().splitlines() == [str(ROOT)]


@pytest.mark.parametrize("action", ["opened", "synchronize", "reopened", "edited"])
@pytest.mark.parametrize(("files", "verdict"), [(CLEAN, "success"), (VIOLATING, "failure")])
def test_every_pull_request_activity(
    tmp_path: Path, simulate: Simulation, action: str, files: dict[str, str | None], verdict: str
) -> None:
    repo, base, head = build(tmp_path, files)
    run = simulate(repo, "pull_request", pr_event(action, base, head), head)
    assert run.jobs["guards"].outcome == verdict
    assert run.outputs["ok"] == ("true" if verdict == "success" else "false")


@pytest.mark.parametrize(("files", "findings"), [(CLEAN, "0"), (VIOLATING, "2")])
def test_merge_group(
    tmp_path: Path, simulate: Simulation, files: dict[str, str | None], findings: str
) -> None:
    """A merge group has no PR title: the caller passes the ticket."""
    repo, base, head = build(tmp_path, files)
    payload = json.loads((HOOKS / "merge_group.checks_requested.json").read_text())
    ref = f"refs/heads/gh-readonly-queue/main/pr-1-{base}"
    payload["merge_group"].update(base_sha=base, head_sha=head, head_ref=ref)
    run = simulate(repo, "merge_group", payload, head, ref, ticket="FR-1")
    assert run.outputs == {"ok": "true" if findings == "0" else "false", "findings": findings}


@pytest.mark.parametrize(("files", "findings"), [(CLEAN, "0"), (VIOLATING, "2")])
def test_push(
    tmp_path: Path, simulate: Simulation, files: dict[str, str | None], findings: str
) -> None:
    """A push names its ticket in the branch name."""
    repo, base, head = build(tmp_path, files)
    payload = json.loads((HOOKS / "push.ordinary.json").read_text())
    payload.update(ref=f"refs/heads/{BRANCH}", before=base, after=head)
    run = simulate(repo, "push", payload, head, payload["ref"])
    assert run.outputs == {"ok": "true" if findings == "0" else "false", "findings": findings}


def test_sarif_is_uploaded_from_its_own_job_even_when_the_gate_fails(
    tmp_path: Path, simulate: Simulation
) -> None:
    repo, base, head = build(tmp_path, VIOLATING)
    run = simulate(repo, "pull_request", pr_event("synchronize", base, head), head, sarif=True)
    assert run.jobs["guards"].outcome == "failure"
    sarif_job = run.jobs["sarif"]
    assert sarif_job.outcome == "success"
    upload = sarif_job.step("Upload to code scanning")
    assert upload.detail["category"] == "guards"
    results = upload.detail["sarif"]["runs"][0]["results"]
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results)
    assert uris == [".github/workflows/x.yml", "deploy/prod.env"]


def test_fork_pr_keeps_its_sarif_out_of_code_scanning(tmp_path: Path, simulate: Simulation) -> None:
    repo, base, head = build(tmp_path, VIOLATING)
    event = pr_event("opened", base, head, fork=True)
    run = simulate(repo, "pull_request", event, head, sarif=True)
    assert run.jobs["guards"].outcome == "failure"
    assert run.jobs["sarif"].outcome == "skipped"


def test_guards_ref_runs_guards_from_its_own_checkout(tmp_path: Path, simulate: Simulation) -> None:
    repo, base, head = build(tmp_path, VIOLATING)
    event = pr_event("opened", base, head)
    run = simulate(repo, "pull_request", event, head, **{"guards-ref": "0" * 40})
    job = run.jobs["guards"]
    assert job.step("Check out guards at guards-ref").with_["path"] == ".guards-action"
    assert job.step("Run guards").outcome == "skipped"
    assert job.step("Run guards (guards-ref)").outcome == "failure"
    assert run.outputs == {"ok": "false", "findings": "2"}
    assert simulate.runner is not None
    assert simulate.runner.pip_log.read_text().splitlines() == [str(ROOT)]


def test_a_shallow_checkout_fails_closed(tmp_path: Path, simulate: Simulation) -> None:
    """Why fetch-depth: 0: with the checkout action's default depth the base is missing."""
    shallow = copy.deepcopy(WORKFLOW)
    shallow["jobs"]["guards"]["steps"][0]["with"].pop("fetch-depth")
    repo, base, head = build(tmp_path, CLEAN)
    run = simulate(repo, "pull_request", pr_event("opened", base, head), head, workflow=shallow)
    step = run.jobs["guards"].step("Run guards")
    assert (step.outcome, step.code) == ("failure", 2)
    assert "fetch-depth" in run.jobs["guards"].step("guards run").stderr


def test_a_pr_shipping_its_own_guards_package_cannot_replace_the_judge(
    tmp_path: Path, simulate: Simulation
) -> None:
    planted = "import sys\nprint('::notice::planted judge ran')\nsys.exit(0)\n"
    files = {**VIOLATING, "guards/__init__.py": planted, "guards/__main__.py": planted}
    repo, base, head = build(tmp_path, {**files, "pip/__init__.py": planted})
    run = simulate(repo, "pull_request", pr_event("opened", base, head), head)
    job = run.jobs["guards"]
    assert job.outcome == "failure"
    assert all("planted" not in c.data for c in job.commands)
    assert run.outputs["findings"] == "5"  # the two out-of-scope files and the three planted
