"""The workflow files keep the security rules (DESIGN.md section 5) by construction, the README's
caller example matches the workflow, and this repository's own scope files do what they say."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from workflow_expr import interpolate, to_str
from workflow_sim import ROOT, load

from guards.config import SCOPE_SCHEMA, validate
from guards.patterns import TicketScope, patterns
from testing.git_repo import guards_cli, pr_repo

GUARDS = load(ROOT / ".github" / "workflows" / "guards.yml")
CI = load(ROOT / ".github" / "workflows" / "ci.yml")
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
FILES = [ROOT / ".github" / "workflows" / "guards.yml", ROOT / ".github" / "workflows" / "ci.yml"]
FILES.append(ROOT / "action.yml")
PINNED = re.compile(r"uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+\s*$")
LOCAL = re.compile(r"uses: (\$/|\./)[\w./-]*(\s+#.*)?$")


def steps() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, doc in (("guards.yml", GUARDS), ("ci.yml", CI)):
        for job in doc["jobs"].values():
            for step in job.get("steps", []):
                yield name, step
    for step in ACTION["runs"]["steps"]:
        yield "action.yml", step


def scripts() -> list[tuple[str, str]]:
    return [(f"{name}: {step.get('name')}", step["run"]) for name, step in steps() if "run" in step]


@pytest.mark.parametrize("path", FILES[:2], ids=lambda p: p.name)
def test_every_uses_is_pinned_to_a_full_sha_with_its_version(path: Path) -> None:
    lines = [line.strip() for line in path.read_text().splitlines()]
    uses = [line.removeprefix("- ") for line in lines if re.match(r"(- )?uses:", line)]
    assert uses
    for line in uses:
        assert PINNED.fullmatch(line) or LOCAL.fullmatch(line), line


@pytest.mark.parametrize(("where", "script"), scripts(), ids=lambda v: str(v)[:40])
def test_no_expression_inside_a_run_script(where: str, script: str) -> None:
    """Inputs and event data reach scripts through env: only, never spliced into the code."""
    assert "${{" not in script, where


@pytest.mark.parametrize(("where", "script"), scripts(), ids=lambda v: str(v)[:40])
def test_run_scripts_pass_shellcheck(where: str, script: str) -> None:
    shellcheck = shutil.which("shellcheck") or str(Path(sys.executable).parent / "shellcheck")
    proc = subprocess.run(
        [shellcheck, "--shell=bash", "--severity=style", "-"],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"{where}\n{proc.stdout}{proc.stderr}"


def test_least_privilege() -> None:
    assert GUARDS["permissions"] == {"contents": "read", "pull-requests": "read"}
    # actions: read for test-report only (base's report); permissions cannot depend on inputs
    assert GUARDS["jobs"]["guards"]["permissions"] == {
        "contents": "read",
        "pull-requests": "read",
        "actions": "read",
    }
    assert GUARDS["jobs"]["sarif"]["permissions"] == {
        "contents": "read",
        "actions": "read",
        "security-events": "write",
    }
    assert CI["permissions"] == {"contents": "read"}
    for doc in (GUARDS, CI):
        assert not {"pull_request_target", "workflow_run"} & set(doc["on"])


def test_the_sarif_job_runs_no_repository_code() -> None:
    uses = [step.get("uses", "").split("@")[0] for step in GUARDS["jobs"]["sarif"]["steps"]]
    assert uses == ["actions/download-artifact", "github/codeql-action/upload-sarif"]


def test_checkouts_keep_no_credentials_and_the_repository_has_full_history() -> None:
    checkouts = [s for _, s in steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 3
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)
    assert GUARDS["jobs"]["guards"]["steps"][0]["with"]["fetch-depth"] == 0


def test_reusable_workflow_interface() -> None:
    call = GUARDS["on"]["workflow_call"]
    assert set(GUARDS["on"]) == {"workflow_call"}
    assert set(call["inputs"]) == {
        "ticket",
        "config",
        "guards",
        "python-version",
        "runs-on",
        "sarif",
        "guards-repository",
        "guards-ref",
        "test-report",
        "test-workflow",
    }
    assert call["inputs"]["sarif"]["type"] == "boolean"
    for name in ("test-report", "test-workflow"):  # off unless the caller names its artifact
        assert call["inputs"][name] == {**call["inputs"][name], "type": "string", "default": ""}
    assert set(call["outputs"]) == {"ok", "findings"}


def test_the_action_installs_from_its_own_checkout_and_runs_the_console_script() -> None:
    assert ACTION["runs"]["using"] == "composite"
    install, run = ACTION["runs"]["steps"]  # no third-party action inside the action
    assert install["working-directory"] == "${{ github.action_path }}"
    assert install["run"].startswith("python -m pip install") and install["run"].endswith(" .")
    assert "python -m guards" not in run["run"] and "guards run" in run["run"]


def test_dogfood_triggers_and_call() -> None:
    assert CI["on"]["pull_request"]["types"] == ["opened", "synchronize", "reopened", "edited"]
    assert "merge_group" in CI["on"] and "push" in CI["on"]
    job = CI["jobs"]["guards"]
    assert job["uses"] == "$/.github/workflows/guards.yml"
    assert set(job["with"]) <= set(GUARDS["on"]["workflow_call"]["inputs"])
    assert job["permissions"]["security-events"] == "write"


def _guards_steps() -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in GUARDS["jobs"]["guards"]["steps"]}


def test_head_report_is_downloaded_from_this_run_only_with_test_report() -> None:
    steps = list(_guards_steps())
    fetch = _guards_steps()["Fetch head's test report"]
    assert fetch["if"] == "inputs.test-report != ''"
    download = GUARDS["jobs"]["sarif"]["steps"][0]["uses"]
    assert fetch["uses"] == download  # the SHA the file already pins
    assert fetch["with"] == {  # every matrix entry's artifact, each in its own folder
        "pattern": "${{ inputs.test-report }}*",
        "merge-multiple": False,
        "path": "${{ runner.temp }}/guards-head-report",
    }
    assert "run-id" not in fetch["with"] and "github-token" not in fetch["with"]  # same run
    assert steps.index("Fetch head's test report") < steps.index("Run guards")


@pytest.mark.parametrize("step", ["Run guards", "Run guards (guards-ref)"])
@pytest.mark.parametrize(
    ("report", "workflow", "expected"),
    [
        ("", "", {"head-report": "", "report-artifact": "", "report-workflow": ""}),
        ("", "tests.yml", {"head-report": "", "report-artifact": "", "report-workflow": ""}),
        (
            "test-report",
            "tests.yml",
            {
                "head-report": "/tmp/rt/guards-head-report/**/*.xml",
                "report-artifact": "test-report",
                "report-workflow": "tests.yml",
            },
        ),
        (
            "test-report",
            "",
            {
                "head-report": "/tmp/rt/guards-head-report/**/*.xml",
                "report-artifact": "test-report",
                "report-workflow": "",  # the action refuses this: exit 2
            },
        ),
    ],
)
def test_report_inputs_reach_the_action_only_with_test_report(
    step: str, report: str, workflow: str, expected: dict[str, str]
) -> None:
    with_ = _guards_steps()[step]["with"]
    ctx = {
        "inputs": {"test-report": report, "test-workflow": workflow},
        "runner": {"temp": "/tmp/rt"},
    }
    got = {k: to_str(interpolate(with_[k].strip(), ctx)) for k in expected}
    assert got == expected
    assert set(with_) <= set(ACTION["inputs"])


def test_the_action_passes_report_flags_through_env_and_fails_closed() -> None:
    run = ACTION["runs"]["steps"][1]
    assert run["env"]["GUARDS_INPUT_HEAD_REPORT"] == "${{ inputs.head-report }}"
    assert run["env"]["GUARDS_INPUT_REPORT_ARTIFACT"] == "${{ inputs.report-artifact }}"
    assert run["env"]["GUARDS_INPUT_REPORT_WORKFLOW"] == "${{ inputs.report-workflow }}"
    for name in ("head-report", "report-artifact", "report-workflow"):
        assert ACTION["inputs"][name]["default"] == ""
    script = run["run"]
    assert 'args+=(--head-report "$pattern")' in script
    assert 'args+=(--report-artifact "$GUARDS_INPUT_REPORT_ARTIFACT")' in script
    assert 'args+=(--report-workflow "$GUARDS_INPUT_REPORT_WORKFLOW")' in script
    assert "exit 2" in script


def _action_args(tmp: Path, head: str, artifact: str, workflow: str) -> tuple[int, list[str]]:
    """The action's run script with a stub `guards` on PATH recording its arguments."""
    bin_ = tmp / "bin"
    bin_.mkdir(parents=True)
    log = tmp / "args"
    stub = bin_ / "guards"
    stub.write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "{log}"\n')
    stub.chmod(0o755)
    (tmp / "out").write_text("")
    env = {
        "PATH": f"{bin_}:/usr/bin:/bin",
        "RUNNER_TEMP": str(tmp),
        "GITHUB_OUTPUT": str(tmp / "out"),
        "GUARDS_INPUT_GUARDS": "skip-set",
        "GUARDS_INPUT_HEAD_REPORT": head,
        "GUARDS_INPUT_REPORT_ARTIFACT": artifact,
        "GUARDS_INPUT_REPORT_WORKFLOW": workflow,
    }
    script = ACTION["runs"]["steps"][1]["run"]
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp,
    )
    return proc.returncode, log.read_text().splitlines() if log.exists() else []


def test_the_action_adds_report_flags_only_when_given(tmp_path: Path) -> None:
    code, calls = _action_args(tmp_path, "", "", "")
    assert code == 0 and len(calls) == 2  # the JSON run, then the github run
    assert all("--head-report" not in c and "--report-" not in c for c in calls)
    assert all(c.startswith("run --only skip-set") for c in calls)


def test_the_action_passes_report_flags(tmp_path: Path) -> None:
    code, calls = _action_args(tmp_path, "/r/**/*.xml", "test-report", "tests.yml")
    assert code == 0 and len(calls) == 2
    flags = "--head-report /r/**/*.xml --report-artifact test-report --report-workflow tests.yml"
    assert all(f"run --only skip-set {flags} --format" in c for c in calls)


@pytest.mark.parametrize(("head", "workflow"), [("/r/*.xml", ""), ("", "tests.yml")])
def test_the_action_refuses_an_artifact_without_head_report_or_workflow(
    tmp_path: Path, head: str, workflow: str
) -> None:
    code, calls = _action_args(tmp_path, head, "test-report", workflow)
    assert (code, calls) == (2, [])


def readme_caller() -> dict[str, Any]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- BEGIN github -->")[1].split("<!-- END github -->")[0]
    block = re.search(r"```yaml\n(# \.github/workflows/guards\.yml.*?)```", section, re.S)
    assert block, "the README shows the caller workflow"
    doc = yaml.safe_load(block.group(1))
    doc["on"] = doc.pop(True)
    return dict(doc)


def test_readme_caller_workflow_matches_the_reusable_workflow() -> None:
    doc = readme_caller()
    assert doc["on"]["pull_request"]["types"] == ["opened", "synchronize", "reopened", "edited"]
    assert "merge_group" in doc["on"]
    test, job = doc["jobs"]["test"], doc["jobs"]["guards"]
    assert job["uses"].split("@")[0].endswith("/.github/workflows/guards.yml")
    assert set(job["with"]) <= set(GUARDS["on"]["workflow_call"]["inputs"])
    needed = GUARDS["jobs"]["sarif"]["permissions"] | GUARDS["permissions"]
    assert {k: job["permissions"].get(k) for k in needed} == needed
    assert "cancel-in-progress" in doc["concurrency"]
    assert "github.event.pull_request.number" in doc["concurrency"]["group"]
    assert "runs-on" in job["with"]
    # the second witness: the test job uploads its report, the guards job needs it and names it
    assert job["needs"] == "test" and job["if"] == "${{ !cancelled() }}"
    upload = next(s for s in test["steps"] if s.get("uses", "").startswith("actions/upload-a"))
    assert upload["if"] == "${{ !cancelled() }}"
    assert job["with"]["test-report"] == upload["with"]["name"]
    assert job["with"]["test-workflow"] == "guards.yml"  # this same file: its runs on main
    assert "push" in doc["on"]
    assert test["permissions"] == {"contents": "read"}
    assert all(
        s["with"]["persist-credentials"] is False
        for s in test["steps"]
        if "checkout" in s.get("uses", "")
    )
    assert "github.sha" in doc["concurrency"]["group"]  # base's runs are never cancelled


def test_both_jobs_run_on_the_runs_on_input() -> None:
    assert GUARDS["on"]["workflow_call"]["inputs"]["runs-on"]["default"] == "ubuntu-latest"
    assert {j["runs-on"] for j in GUARDS["jobs"].values()} == {"${{ inputs.runs-on }}"}


# --- this repository's own scope files --------------------------------------------------

SCOPES = sorted((ROOT / "scope").glob("*.yaml"))
CASES = [
    ("GRD-2", "guards/core/git.py", True),
    ("GRD-2", "tests/test_changes.py", True),
    ("GRD-2", ".github/workflows/guards.yml", False),
    ("GRD-2", "scope/GRD-3.yaml", False),
    ("GRD-3", "guards/checks/skip_set.py", True),
    ("GRD-3", "guards/core/collect/pytest_ast.py", True),
    ("GRD-3", "guards/checks/manifest_scope.py", False),
    ("GRD-4", "guards/spec/cite.py", True),
    ("GRD-4", "tests/probes/spec-ref/cites-missing.yaml", True),
    ("GRD-4", "action.yml", False),
    ("GRD-5", "guards/prepush.py", True),
    ("GRD-5", ".pre-commit-hooks.yaml", True),
    ("GRD-5", "guards/checks/spec_ref.py", False),
    ("GRD-6", ".github/workflows/ci.yml", True),
    ("GRD-6", "action.yml", True),
    ("GRD-6", "guards/report/github_summary.py", True),
    ("GRD-6", "tests/workflow_sim.py", True),
    ("GRD-6", "guards/checks/skip_set.py", False),
    ("GRD-7", "tests/probes/skip-set/newly-skipped.yaml", True),
    ("GRD-7", "tests/mutants/run.py", True),
    ("GRD-7", "guards/checks/spec_ref.py", False),
]


@pytest.mark.parametrize("path", SCOPES, ids=lambda p: p.stem)
def test_scope_files_are_valid(path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    validate(doc, SCOPE_SCHEMA, str(path))
    assert doc["title"] and doc["allow"]


def test_one_scope_file_per_issue() -> None:
    assert [p.stem for p in SCOPES] == [f"GRD-{n}" for n in range(2, 8)]


@pytest.mark.parametrize(("ticket", "path", "inside"), CASES)
def test_scope_files_cover_their_issue(ticket: str, path: str, inside: bool) -> None:
    doc = yaml.safe_load((ROOT / "scope" / f"{ticket}.yaml").read_text(encoding="utf-8"))
    scope = TicketScope(
        patterns("a", doc["allow"]), patterns("d", doc.get("deny", [])), patterns("g", [])
    )
    assert (scope.why_out(path) is None) == inside


def test_the_gate_judges_a_pr_of_this_repository_with_these_scope_files(tmp_path: Path) -> None:
    base = {f"scope/{p.name}": p.read_text(encoding="utf-8") for p in SCOPES}
    repo, b, h = pr_repo(
        tmp_path / "r",
        {**base, "README.md": "x\n"},
        {"action.yml": "name: x\n", "README.md": "y\n", "guards/checks/skip_set.py": "X = 1\n"},
        branch="grd-6-sarif",
    )
    args = ["run", "--repo", str(repo.path), "--base", b, "--head", h, "--only", "manifest-scope"]
    result = guards_cli(*args, "--pr-title", "GRD-6: SARIF upload", "--format", "json")
    assert result.code == 1, result.stderr
    failing = [f["path"] for f in result.json()["guards"][0]["findings"] if f["outcome"] == "fail"]
    assert failing == ["guards/checks/skip_set.py"]
