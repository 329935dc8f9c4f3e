"""A config error in CI, through the simulated workflow run: visible in every place it shows.

Before: exit 2 with no annotation, an empty job summary, outputs ok='' and findings='', and
with sarif: true no SARIF file, so the upload jobs failed and pointed away from the cause.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from workflow_sim import Simulation, WorkflowRun, pr_event

from testing.git_repo import GitRepo, guards_cli, pr_repo

BASE = {
    "guards.yaml": "manifest-scope: {dir: scope}\nskip-sett: {paths: [tests]}\n",
    "scope/FR-1.yaml": 'allow: ["src/**"]\n',
    "src/app.py": "A = 1\n",
}
MESSAGE = "unknown key 'skip-sett' (did you mean 'skip-set'?)"


def show(run: WorkflowRun) -> None:
    """What a person sees on GitHub (printed with pytest -s)."""
    job = run.jobs["guards"]
    print(f"\n--- job guards: {job.outcome}; outputs {run.outputs}")
    for cmd in job.commands:
        print(f"    annotation {cmd.name} {cmd.properties}: {cmd.data}")
    print("--- step summary ---\n" + job.summary)


@pytest.fixture
def bad_config(tmp_path: Path) -> tuple[GitRepo, str, str]:
    return pr_repo(tmp_path / "origin", BASE, {"src/app.py": "A = 2\n"}, branch="FR-1-work")


def test_config_error_in_the_workflow(
    tmp_path: Path, httpserver: HTTPServer, bad_config: tuple[GitRepo, str, str]
) -> None:
    repo, base, head = bad_config
    payload = pr_event("opened", base, head)
    sim = Simulation(tmp_path, httpserver)
    run = sim(repo, "pull_request", payload, head, sarif=True)
    show(run)
    job = run.jobs["guards"]
    assert job.outcome == "failure" and job.step("Run guards").code == 2
    errors = [c for c in job.commands if c.name == "error"]
    assert [(c.properties.get("file"), c.properties.get("title")) for c in errors] == [
        ("guards.yaml", "guards: gate_evaluated")
    ]
    assert MESSAGE in errors[0].data
    assert job.summary.startswith("## guards ⚠️ could not be evaluated")
    assert MESSAGE in job.summary
    assert run.outputs == {"ok": "false", "findings": "1"}
    upload = run.jobs["sarif"].step("Upload to code scanning")
    assert run.jobs["sarif"].outcome == "success"
    (sarif_run,) = upload.detail["sarif"]["runs"]
    assert sarif_run["invocations"][0]["executionSuccessful"] is False
    (result,) = sarif_run["results"]
    assert result["ruleId"] == "guards/gate_evaluated" and MESSAGE in result["message"]["text"]
    assert sim.runner is not None
    report = json.loads((sim.runner.artifacts / "guards-report" / "guards.json").read_text())
    assert report["ok"] is False and MESSAGE in report["guards"][0]["findings"][0]["message"]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_config_error_in_every_format_and_output(
    tmp_path: Path, bad_config: tuple[GitRepo, str, str], fmt: str
) -> None:
    repo, base, head = bad_config
    out = tmp_path / f"report.{fmt}"
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "s.md"), "GITHUB_OUTPUT": str(tmp_path / "o")}
    result = guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--head", head,
        "--format", fmt, "--output", str(out), env=env,
    )  # fmt: skip # -- a packed call reads better here
    assert result.code == 2 and MESSAGE in result.stderr
    text = out.read_text(encoding="utf-8")
    assert MESSAGE in text
    if fmt == "json":
        doc = json.loads(text)
        assert doc["ok"] is False and doc["guards"][0]["status"] == "error"
        assert doc["guards"][0]["findings"][0]["path"] == "guards.yaml"
    if fmt == "github":
        assert "ok=false" in (tmp_path / "o").read_text()
        assert MESSAGE in (tmp_path / "s.md").read_text(encoding="utf-8")
