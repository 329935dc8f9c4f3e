"""guards.yml's test-report wiring, run step by step in the simulated runner (workflow_sim.py).

A caller's test job (prepended to the reusable workflow's jobs, as the caller's `needs:` orders
them) writes a JUnit report and uploads it; the guards job downloads head's report from the
same run and guards fetches base's from the Actions API (a local server answering as GitHub
does: the runs of the test workflow on the merge-base, the run's artifacts, the zip). Without
test-report nothing of that happens: no download, no report flag, no Actions API call.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response
from workflow_sim import REPOSITORY, WORKFLOW, Simulation, pr_event

from testing.git_repo import GitRepo, pr_repo

BASE = {
    "scope/FR-1.yaml": 'allow: ["src/**", "tests/**"]\n',
    "src/app.py": "def app():\n    return 1\n",
    "tests/test_app.py": "def test_app():\n    assert True\n",
}
HEAD = {
    "src/app.py": "def app():\n    return 2\n",
    "tests/test_more.py": "def test_x():\n    pass\n",
}


def junit(*cases: tuple[str, str, bool]) -> str:
    """pytest's --junitxml shape: (module path, test name, skipped)."""
    rows = []
    for path, name, skipped in cases:
        classname = path.removesuffix(".py").replace("/", ".")
        inner = '<skipped type="pytest.skip" message="CI only">skip</skipped>' if skipped else ""
        rows.append(
            f'<testcase classname="{classname}" name="{name}" file="{path}" line="0" '
            f'time="0.001">{inner}</testcase>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">'
        f'<testsuite name="pytest" tests="{len(rows)}">{"".join(rows)}</testsuite></testsuites>'
    )


BASE_REPORT = junit(("tests/test_app.py", "test_app", False))
HEAD_RAN = junit(("tests/test_app.py", "test_app", False), ("tests/test_more.py", "test_x", False))
HEAD_SKIPPED = junit(
    ("tests/test_app.py", "test_app", True), ("tests/test_more.py", "test_x", False)
)


def with_test_job(report: str, artifact: str = "test-report") -> dict[str, Any]:
    """The caller's test job first, then guards.yml's jobs: what `needs: test` gives."""
    workflow = copy.deepcopy(WORKFLOW)
    script = f"mkdir -p reports/nested\ncat > reports/nested/junit.xml <<'XML'\n{report}\nXML\n"
    test = {
        "runs-on": "ubuntu-latest",
        "steps": [
            {"name": "Run the tests", "run": script},
            {
                "name": "Upload the report",
                "uses": "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
                "with": {"name": artifact, "path": "reports/nested/junit.xml"},
            },
        ],
    }
    workflow["jobs"] = {"test": test, **workflow["jobs"]}
    return workflow


def serve_base_report(
    api: HTTPServer, report: str = BASE_REPORT, entries: dict[str, str] | None = None
) -> None:
    """GitHub's answers for base's report: runs of tests.yml, the run's artifacts (ENTRIES:
    one per matrix entry, else one named test-report), each artifact's zip."""
    runs = {
        "total_count": 2,
        "workflow_runs": [
            {"id": 11, "conclusion": "success", "created_at": "2026-01-01T00:00:00Z"},
            {"id": 12, "conclusion": "success", "created_at": "2026-01-02T00:00:00Z"},
        ],
    }
    api.expect_request(f"/repos/{REPOSITORY}/actions/workflows/tests.yml/runs").respond_with_json(
        runs
    )
    listed = []
    for number, (name, text) in enumerate((entries or {"test-report": report}).items(), 5):
        zip_url = api.url_for(f"/repos/{REPOSITORY}/actions/artifacts/{number}/zip")
        listed.append(
            {"id": number, "name": name, "expired": False, "archive_download_url": zip_url}
        )
        serve_zip(api, number, text)
    api.expect_request(f"/repos/{REPOSITORY}/actions/runs/12/artifacts").respond_with_json(
        {"total_count": len(listed), "artifacts": listed}
    )


def serve_zip(api: HTTPServer, number: int, report: str) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("junit.xml", report)
    # The API redirects to a signed storage URL (another host on GitHub), fetched tokenless.
    storage = api.url_for(f"/storage/artifact-{number}.zip?sig=x")
    api.expect_request(f"/repos/{REPOSITORY}/actions/artifacts/{number}/zip").respond_with_response(
        Response(status=302, headers={"Location": storage})
    )
    api.expect_request(f"/storage/artifact-{number}.zip").respond_with_response(
        Response(data.getvalue(), content_type="application/zip")
    )


def build(tmp: Path) -> tuple[GitRepo, str, str]:
    return pr_repo(tmp / "origin", BASE, HEAD, branch="FR-1-work")


def actions_api_calls(api: HTTPServer) -> list[str]:
    return [r.full_path for r, _ in api.log if "/actions/" in r.path or "/storage/" in r.path]


@pytest.fixture
def simulate(tmp_path: Path, httpserver: HTTPServer) -> Simulation:
    return Simulation(tmp_path, httpserver)


def test_without_test_report_there_is_no_download_and_no_report_flag(
    tmp_path: Path, simulate: Simulation, httpserver: HTTPServer
) -> None:
    repo, base, head = build(tmp_path)
    run = simulate(
        repo, "pull_request", pr_event("opened", base, head), head, guards="skip-set manifest-scope"
    )
    job = run.jobs["guards"]
    assert job.outcome == "success", [s.stderr for s in job.all_steps()]
    assert job.step("Fetch head's test report").outcome == "skipped"
    step = job.step("Run guards")
    assert step.with_["head-report"] == step.with_["report-artifact"] == ""
    assert step.with_["report-workflow"] == ""
    assert actions_api_calls(httpserver) == []


def test_test_report_reaches_guards_and_reports_decide(
    tmp_path: Path, simulate: Simulation, httpserver: HTTPServer
) -> None:
    """Head's report from this run, base's from tests.yml's newest successful run on the
    merge-base: a test that ran at base and is skipped at head (which the static collector
    cannot see: no marker in the source) fails the gate."""
    repo, base, head = build(tmp_path)
    serve_base_report(httpserver)
    run = simulate(
        repo,
        "pull_request",
        pr_event("opened", base, head),
        head,
        workflow=with_test_job(HEAD_SKIPPED),
        guards="skip-set",
        **{"test-report": "test-report", "test-workflow": "tests.yml"},
    )
    job = run.jobs["guards"]
    assert run.jobs["test"].outcome == "success"
    fetch = job.step("Fetch head's test report")
    assert fetch.outcome == "success"
    assert (fetch.with_["pattern"], fetch.with_["merge-multiple"]) == ("test-report*", False)
    assert str(fetch.with_["path"]).endswith("/guards-head-report")
    step = job.step("Run guards")
    assert step.with_["head-report"] == f"{fetch.with_['path']}/**/*.xml"
    assert (step.with_["report-artifact"], step.with_["report-workflow"]) == (
        "test-report",
        "tests.yml",
    )
    assert job.outcome == "failure"
    assert (step.outcome, step.code) == ("failure", 1), job.step("guards run").stderr
    assert run.outputs["ok"] == "false"
    report = json.loads(Path(job.step("guards run").outputs["json-file"]).read_text())
    failing = [f for g in report["guards"] for f in g["findings"] if f["outcome"] == "fail"]
    assert [(f["rule"], f["test"]) for f in failing] == [
        ("skip_set_not_grown", "tests/test_app.py::test_app")
    ]
    assert "skipped at head (the runner says: CI only; test-run reports)" in failing[0]["message"]
    # base's report was asked for the merge-base commit, with the job's token
    calls = actions_api_calls(httpserver)
    assert f"/repos/{REPOSITORY}/actions/workflows/tests.yml/runs?head_sha={base}" in {
        c.split("&")[0] for c in calls
    }
    assert f"/repos/{REPOSITORY}/actions/runs/12/artifacts?per_page=100&page=1" in calls
    for request, _ in httpserver.log:
        if "/actions/" in request.path:
            assert request.headers["Authorization"].endswith("simulated-token")
        if request.path.endswith(".zip"):
            assert "Authorization" not in request.headers


def test_test_report_passes_when_every_test_still_runs(
    tmp_path: Path, simulate: Simulation, httpserver: HTTPServer
) -> None:
    repo, base, head = build(tmp_path)
    serve_base_report(httpserver)
    run = simulate(
        repo,
        "pull_request",
        pr_event("opened", base, head),
        head,
        workflow=with_test_job(HEAD_RAN),
        guards="skip-set",
        **{"test-report": "test-report", "test-workflow": "tests.yml"},
    )
    job = run.jobs["guards"]
    assert job.outcome == "success", job.step("guards run").stderr
    assert run.outputs == {"ok": "true", "findings": "0"}
    assert actions_api_calls(httpserver)


def test_test_report_without_test_workflow_fails_closed(
    tmp_path: Path, simulate: Simulation, httpserver: HTTPServer
) -> None:
    repo, base, head = build(tmp_path)
    run = simulate(
        repo,
        "pull_request",
        pr_event("opened", base, head),
        head,
        workflow=with_test_job(HEAD_RAN),
        guards="skip-set",
        **{"test-report": "test-report"},
    )
    job = run.jobs["guards"]
    assert job.outcome == "failure"
    step = job.step("guards run")
    assert step.code == 2
    assert [c.data for c in step.commands if c.name == "error"] == [
        "report-artifact needs head-report and report-workflow"
    ]
    assert actions_api_calls(httpserver) == []


def test_a_missing_head_artifact_fails_the_job(
    tmp_path: Path, simulate: Simulation, httpserver: HTTPServer
) -> None:
    """The caller's test job uploaded under another name: download-artifact's pattern matches
    nothing (a success), and guards' head report then matches no file: exit 2, no silent
    static-only pass."""
    repo, base, head = build(tmp_path)
    serve_base_report(httpserver)
    run = simulate(
        repo,
        "pull_request",
        pr_event("opened", base, head),
        head,
        workflow=with_test_job(HEAD_RAN, artifact="other-name"),
        guards="skip-set",
        **{"test-report": "test-report", "test-workflow": "tests.yml"},
    )
    job = run.jobs["guards"]
    assert job.step("Fetch head's test report").outcome == "success"
    step = job.step("guards run")
    assert step.code == 2
    assert "guards-head-report/**/*.xml' matches no file" in step.stdout
    assert job.outcome == "failure"
    assert run.outputs["ok"] != "true"


MATRIX_BASE = junit(("tests/test_app.py", "test_app", False))


def test_a_matrix_is_compared_entry_to_entry(
    tmp_path: Path, simulate: Simulation, httpserver: HTTPServer
) -> None:
    """Two entries upload test-report-py-a and test-report-py-b; base's run has the same two.
    Entry py-b skips test_app at head while py-a still runs it: merged, that would pass."""
    repo, base, head = build(tmp_path)
    serve_base_report(
        httpserver, entries={"test-report-py-a": MATRIX_BASE, "test-report-py-b": MATRIX_BASE}
    )
    workflow = with_test_job(HEAD_RAN, artifact="test-report-py-a")
    workflow["jobs"]["test"]["steps"] += with_test_job(HEAD_SKIPPED, "test-report-py-b")["jobs"][
        "test"
    ]["steps"]
    run = simulate(
        repo,
        "pull_request",
        pr_event("opened", base, head),
        head,
        workflow=workflow,
        guards="skip-set",
        **{"test-report": "test-report", "test-workflow": "tests.yml"},
    )
    job = run.jobs["guards"]
    assert job.outcome == "failure", job.step("guards run").stderr
    report = json.loads(Path(job.step("guards run").outputs["json-file"]).read_text())
    failing = [f for g in report["guards"] for f in g["findings"] if f["outcome"] == "fail"]
    assert [(f["rule"], f["test"]) for f in failing] == [
        ("skip_set_not_grown", "tests/test_app.py::test_app")
    ]
    assert "in matrix entry test-report-py-b" in failing[0]["message"]
