"""A small, local GitHub Actions runner for tests: runs guards.yml's jobs and action.yml's steps.

Every ``run:`` step is executed, in order, with bash (``bash --noprofile --norc -eo pipefail``,
GitHub's ``shell: bash``), with the environment a hosted runner gives it: GITHUB_ACTIONS=true,
GITHUB_EVENT_NAME / GITHUB_EVENT_PATH (a payload the test writes), GITHUB_WORKSPACE,
RUNNER_TEMP, and fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV / GITHUB_PATH files per
step; ``${{ inputs.* }}``, ``${{ env.* }}``, ``${{ github.* }}`` (``action_path`` too) and
``${{ steps.* }}`` are evaluated. Workflow commands printed by a step are parsed as the runner
parses them.

What is simulated, not run (these need GitHub):

- ``actions/checkout``: ``git clone`` of the fixture repository into the job's workspace and a
  detached checkout of GITHUB_SHA; ``fetch-depth`` is honoured (1, the action's default, makes
  a shallow clone). With ``path:`` (guards at ``guards-ref``) it links that path to this
  project's own checkout. GITHUB_SHA is the PR head, not GitHub's merge commit.
- ``actions/setup-python``: nothing; the ``python`` on PATH is a wrapper around the test's own
  interpreter.
- ``python -m pip install`` (the action's install step): the wrapper checks that pip is asked
  to install the action's own checkout and records it, but installs nothing: guards is
  already installed, editable from this same checkout, in the test's environment (no network).
- ``actions/upload-artifact`` / ``download-artifact``: copies through a local folder.
- ``actions/cache/restore`` / ``save``: copies through a local folder keyed like the real one,
  shared by the simulations of one test.
- the GitHub REST API (guards asks for the PR's current title and body with the job's token):
  GITHUB_API_URL points at a local HTTP server the test runs (pytest-httpserver).
- ``github/codeql-action/upload-sarif``: validates the file against the SARIF 2.1.0 schema.
- ``uses: $/<path>`` resolves to this project's checkout (the workflow's own repository).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from pytest_httpserver import HTTPServer
from workflow_commands import Command, commands
from workflow_expr import condition, interpolate, to_str

from guards.core.git import IDENTITY
from testing.git_repo import GitRepo

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json"
HOOKS = ROOT / "tests" / "fixtures" / "webhooks"
REPOSITORY = "octo/app"
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
ENV_FILES = ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH")
PYTHON_SHIM = """#!/usr/bin/env bash
# Simulated `python -m pip install <dir>`: guards is installed already (editable, same checkout).
if [[ "$1" == -m && "$2" == pip && "$3" == install ]]; then
  target=""
  for arg in "${@:4}"; do [[ "$arg" == -* ]] || target="$arg"; done
  if [[ "$(cd "$target" && pwd -P)" != "$GUARDS_SIM_SOURCE" ]]; then
    echo "simulated pip: refusing to install '$target', not the action's checkout" >&2
    exit 97
  fi
  printf '%s\\n' "$(cd "$target" && pwd -P)" >> "$GUARDS_SIM_PIP_LOG"
  exit 0
fi
exec "$GUARDS_SIM_PYTHON" "$@"
"""


def load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in doc:  # YAML 1.1 reads the key `on` as true
        doc["on"] = doc.pop(True)
    return dict(doc)


@dataclass
class StepRun:
    name: str
    uses: str | None
    outcome: str  # success | failure | skipped
    code: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    with_: dict[str, Any] = field(default_factory=dict)
    detail: Any = None
    nested: list[StepRun] = field(default_factory=list)  # a composite action's own steps

    @property
    def commands(self) -> list[Command]:
        return commands(self.stdout) + commands(self.stderr)

    def flat(self) -> list[StepRun]:
        return [self] + [n for s in self.nested for n in s.flat()]


@dataclass
class JobRun:
    name: str
    outcome: str
    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)

    def all_steps(self) -> list[StepRun]:
        return [f for s in self.steps for f in s.flat()]

    def step(self, name: str) -> StepRun:
        return next(s for s in self.all_steps() if s.name == name)

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.all_steps())

    @property
    def commands(self) -> list[Command]:
        return [c for s in self.all_steps() for c in s.commands]


@dataclass
class WorkflowRun:
    jobs: dict[str, JobRun]
    outputs: dict[str, str]


class Runner:
    """Runs the jobs of one workflow for one event against one fixture repository."""

    def __init__(
        self,
        tmp: Path,
        fixture_repo: Path,
        event_name: str,
        payload: Mapping[str, Any],
        *,
        sha: str,
        ref: str,
        api_url: str,
        repository: str = REPOSITORY,
    ) -> None:
        self.tmp, self.fixture = tmp, fixture_repo
        tmp.mkdir(parents=True)
        (tmp / "home").mkdir()
        self.artifacts = tmp / "artifacts"
        self.pip_log = tmp / "pip.log"
        self.count = 0
        event_path = tmp / "event.json"
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        shim = tmp / "shim"
        shim.mkdir()
        for name in ("python", "python3"):
            (shim / name).write_text(PYTHON_SHIM)
            (shim / name).chmod(0o755)
        tools = Path(sys.executable).parent
        if not (tools / "guards").exists():
            raise RuntimeError(f"no guards console script next to {sys.executable}")
        self.github = {
            "event_name": event_name,
            "event": dict(payload),
            "repository": repository,
            "sha": sha,
            "ref": ref,
            "token": "simulated-token",
            "workspace": "",
        }
        self.base_env = {
            **IDENTITY,
            "PATH": os.pathsep.join([str(shim), str(tools), "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": str(tmp / "home"),
            "LANG": "C.UTF-8",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": repository,
            "GITHUB_SHA": sha,
            "GITHUB_REF": ref,
            "GITHUB_API_URL": api_url.rstrip("/"),  # a local server replaying GitHub's answers
            "RUNNER_OS": "Linux",
            "GUARDS_SIM_SOURCE": str(ROOT),
            "GUARDS_SIM_PYTHON": sys.executable,
            "GUARDS_SIM_PIP_LOG": str(self.pip_log),
        }

    # --- workflows and jobs ------------------------------------------------------------

    def run_workflow(self, workflow: Mapping[str, Any], inputs: Mapping[str, Any]) -> WorkflowRun:
        """Every job in order (needs are met by order); the workflow_call outputs at the end."""
        declared = workflow["on"]["workflow_call"].get("inputs", {})
        unknown = set(inputs) - set(declared)
        if unknown:
            raise ValueError(f"inputs not declared by the workflow: {sorted(unknown)}")
        values = {k: inputs.get(k, spec.get("default")) for k, spec in declared.items()}
        jobs: dict[str, JobRun] = {}
        for job_id, job in workflow["jobs"].items():
            jobs[job_id] = self.run_job(job_id, job, values, jobs)
        ctx = {"jobs": {j: {"outputs": r.outputs, "result": r.outcome} for j, r in jobs.items()}}
        outputs = workflow["on"]["workflow_call"].get("outputs", {})
        return WorkflowRun(
            jobs, {k: to_str(interpolate(v["value"], ctx)) for k, v in outputs.items()}
        )

    def run_job(
        self,
        job_id: str,
        job: Mapping[str, Any],
        inputs: Mapping[str, Any],
        done: Mapping[str, JobRun],
    ) -> JobRun:
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        needs_ctx = {n: {"result": done[n].outcome, "outputs": done[n].outputs} for n in needs}
        ok = all(done[n].outcome == "success" for n in needs)
        ctx = {"inputs": inputs, "github": self.github, "needs": needs_ctx}
        if not condition(job.get("if"), ctx, {"success": ok, "failure": not ok}):
            return JobRun(job_id, "skipped")
        workspace = self.tmp / "jobs" / job_id
        workspace.mkdir(parents=True)
        steps, step_ctx = self.run_steps(job["steps"], workspace, inputs, action_path=None)
        outcome = "failure" if any(s.outcome == "failure" for s in steps) else "success"
        out = {
            k: to_str(interpolate(v, {"steps": step_ctx}))
            for k, v in job.get("outputs", {}).items()
        }
        return JobRun(job_id, outcome, steps, out)

    # --- steps ---------------------------------------------------------------------------

    def run_steps(
        self,
        steps: list[Mapping[str, Any]],
        workspace: Path,
        inputs: Mapping[str, Any],
        action_path: Path | None,
        env: Mapping[str, str] | None = None,
    ) -> tuple[list[StepRun], dict[str, Any]]:
        """The steps' runs and their ``steps`` context (outputs and outcome by id); ENV: the
        environment of the step that runs a composite action, which its steps inherit."""
        state: dict[str, Any] = {"env": dict(env or {}), "path": [], "steps": {}, "failed": False}
        runs = [self.run_step(step, workspace, inputs, action_path, state) for step in steps]
        return runs, state["steps"]

    def run_step(
        self,
        step: Mapping[str, Any],
        workspace: Path,
        inputs: Mapping[str, Any],
        action_path: Path | None,
        state: dict[str, Any],
    ) -> StepRun:
        github = {**self.github, "workspace": str(workspace), "action_path": str(action_path or "")}
        ctx = {"inputs": inputs, "github": github, "env": state["env"], "steps": state["steps"]}
        ctx["runner"] = {"temp": str(self.tmp / "runner-temp"), "os": "Linux"}
        status = {"success": not state["failed"], "failure": state["failed"]}
        name = step.get("name") or step.get("uses") or step.get("id") or "run"
        if not condition(step.get("if"), ctx, status):
            self._record(state, step, {}, "skipped")
            return StepRun(name, step.get("uses"), "skipped")
        env = {**self.base_env, **state["env"], "GITHUB_WORKSPACE": str(workspace)}
        env["RUNNER_TEMP"] = ctx["runner"]["temp"]
        Path(env["RUNNER_TEMP"]).mkdir(exist_ok=True)
        env["PATH"] = os.pathsep.join([*state["path"], env["PATH"]])
        if action_path is not None:
            env["GITHUB_ACTION_PATH"] = str(action_path)
        env.update({k: to_str(interpolate(v, ctx)) for k, v in (step.get("env") or {}).items()})
        with_ = {k: interpolate(v, ctx) for k, v in (step.get("with") or {}).items()}
        if "run" in step:
            result = self.run_script(name, step, ctx, env, workspace, state)
        else:
            result = self.run_uses(name, step["uses"], with_, env, workspace, state)
        result.with_ = with_
        self._record(state, step, result.outputs, result.outcome)
        return result

    def _record(
        self, state: dict[str, Any], step: Mapping[str, Any], outputs: dict[str, str], outcome: str
    ) -> None:
        if step.get("id"):
            state["steps"][step["id"]] = {
                "outputs": outputs,
                "outcome": outcome,
                "conclusion": outcome,
            }
        if outcome == "failure" and not step.get("continue-on-error"):
            state["failed"] = True

    def run_script(
        self,
        name: str,
        step: Mapping[str, Any],
        ctx: Mapping[str, Any],
        env: dict[str, str],
        workspace: Path,
        state: dict[str, Any],
    ) -> StepRun:
        self.count += 1
        folder = self.tmp / "steps" / str(self.count)
        folder.mkdir(parents=True)
        files = {k: folder / k.lower() for k in ENV_FILES}
        for key, path in files.items():
            path.write_text("")
            env[key] = str(path)
        script = folder / "script.sh"
        script.write_text(to_str(interpolate(step["run"], ctx)), encoding="utf-8")
        cwd = workspace / to_str(interpolate(step.get("working-directory", "."), ctx))
        proc = subprocess.run(
            [*BASH, str(script)], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        state["env"].update(parse_env_file(files["GITHUB_ENV"].read_text()))
        state["path"][:0] = reversed(files["GITHUB_PATH"].read_text().split())
        return StepRun(
            name,
            None,
            "success" if proc.returncode == 0 else "failure",
            proc.returncode,
            proc.stdout,
            proc.stderr,
            parse_env_file(files["GITHUB_OUTPUT"].read_text()),
            files["GITHUB_STEP_SUMMARY"].read_text(),
        )

    def run_uses(
        self,
        name: str,
        uses: str,
        with_: dict[str, Any],
        env: dict[str, str],
        workspace: Path,
        state: dict[str, Any],
    ) -> StepRun:
        if uses.startswith(("$/", "./")):
            base = ROOT if uses.startswith("$/") else workspace
            return self.run_composite(name, uses, base / uses[2:], with_, workspace, env)
        action = uses.split("@")[0]
        simulate = SIMULATED.get(action)
        if simulate is None:
            raise ValueError(f"the simulator does not know {uses}")
        outcome, detail = simulate(self, with_, env, workspace)
        return StepRun(name, uses, outcome, detail=detail)

    def run_composite(
        self,
        name: str,
        uses: str,
        path: Path,
        with_: dict[str, Any],
        workspace: Path,
        env: dict[str, str],
    ) -> StepRun:
        meta = yaml.safe_load((path / "action.yml").read_text(encoding="utf-8"))
        declared = meta.get("inputs", {})
        unknown = set(with_) - set(declared)
        if unknown:
            raise ValueError(f"{uses}: inputs not declared by the action: {sorted(unknown)}")
        inputs = {k: to_str(with_.get(k, spec.get("default", ""))) for k, spec in declared.items()}
        steps, step_ctx = self.run_steps(meta["runs"]["steps"], workspace, inputs, path, env)
        outputs = {
            k: to_str(interpolate(v["value"], {"steps": step_ctx}))
            for k, v in meta.get("outputs", {}).items()
        }
        failed = [s for s in steps if s.outcome == "failure"]
        outcome, code = ("failure", failed[0].code) if failed else ("success", 0)
        return StepRun(name, uses, outcome, code, outputs=outputs, nested=steps)


def parse_env_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT / GITHUB_ENV: ``name=value`` lines and ``name<<DELIM`` blocks."""
    out: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            end = lines.index(delim, i + 1)
            out[key] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
        i += 1
    return out


# --- the actions that need GitHub, simulated --------------------------------------------


def _checkout(
    r: Runner, with_: dict[str, Any], env: dict[str, str], workspace: Path
) -> tuple[str, Any]:
    if with_.get("path"):
        (workspace / str(with_["path"])).symlink_to(ROOT, target_is_directory=True)
        return "success", {"linked": str(with_["path"])}
    depth = int(with_.get("fetch-depth", 1))
    git = ["git", "-C", str(workspace)]
    shallow = ["--depth", str(depth)] if depth else []
    for cmd in (
        [*git, "init", "-q"],
        [
            *git,
            "fetch",
            "-q",
            *shallow,
            f"file://{r.fixture}",
            "+refs/heads/*:refs/remotes/origin/*",
        ],
        [*git, "fetch", "-q", *shallow, f"file://{r.fixture}", env["GITHUB_SHA"]],
        [*git, "checkout", "-q", "--detach", env["GITHUB_SHA"]],
    ):
        subprocess.run(cmd, env={**os.environ, **IDENTITY}, check=True, capture_output=True)
    return "success", {"fetch-depth": depth}


def _setup_python(
    r: Runner, with_: dict[str, Any], env: dict[str, str], workspace: Path
) -> tuple[str, Any]:
    return "success", {"python-version": with_.get("python-version")}


def _upload_artifact(
    r: Runner, with_: dict[str, Any], env: dict[str, str], workspace: Path
) -> tuple[str, Any]:
    source = workspace / str(with_["path"])
    if not source.is_file():
        return ("failure" if with_.get("if-no-files-found") == "error" else "success"), None
    target = r.artifacts / str(with_["name"])
    target.mkdir(parents=True)
    shutil.copy(source, target / source.name)
    return "success", {"files": [source.name]}


def _download_artifact(
    r: Runner, with_: dict[str, Any], env: dict[str, str], workspace: Path
) -> tuple[str, Any]:
    dest = workspace / str(with_.get("path", "."))
    if "pattern" in with_:  # every match in a folder of its name (merge-multiple: false)
        for source in sorted(r.artifacts.glob(str(with_["pattern"]))):
            shutil.copytree(source, dest / source.name, dirs_exist_ok=True)
        return "success", None
    source = r.artifacts / str(with_["name"])
    if not source.is_dir():
        return "failure", None
    shutil.copytree(source, dest, dirs_exist_ok=True)
    return "success", None


def _upload_sarif(
    r: Runner, with_: dict[str, Any], env: dict[str, str], workspace: Path
) -> tuple[str, Any]:
    doc = json.loads((workspace / str(with_["sarif_file"])).read_text(encoding="utf-8"))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    return "success", {"sarif": doc, "category": with_.get("category")}


def _cache_store(r: Runner) -> Path:
    """Beside the simulations' own folders: simulations of one test share it, as the runs of
    one repository share GitHub's cache."""
    return r.tmp.parent.parent / "actions-cache"


def _cache_restore(
    r: Runner, with_: dict[str, Any], env: dict[str, str], workspace: Path
) -> tuple[str, Any]:
    """The saved cache under the exact key, else the newest whose key starts with a
    restore key (as actions/cache/restore picks)."""
    store = _cache_store(r)
    key = str(with_["key"])
    prefixes = [k for k in str(with_.get("restore-keys", "")).split() if k]
    saved = sorted(store.iterdir(), key=lambda p: p.stat().st_mtime) if store.is_dir() else []
    hit = next((p for p in saved if p.name == key), None) or next(
        (p for p in reversed(saved) if any(p.name.startswith(x) for x in prefixes)), None
    )
    if hit is not None:
        shutil.copytree(hit, workspace / str(with_["path"]), dirs_exist_ok=True)
    return "success", {"restored": hit.name if hit else None}


def _cache_save(
    r: Runner, with_: dict[str, Any], env: dict[str, str], workspace: Path
) -> tuple[str, Any]:
    source, target = workspace / str(with_["path"]), _cache_store(r) / str(with_["key"])
    if source.is_dir() and not target.exists():
        shutil.copytree(source, target)
    return "success", {"saved": str(with_["key"])}


SIMULATED = {
    "actions/cache/restore": _cache_restore,
    "actions/cache/save": _cache_save,
    "actions/checkout": _checkout,
    "actions/setup-python": _setup_python,
    "actions/upload-artifact": _upload_artifact,
    "actions/download-artifact": _download_artifact,
    "github/codeql-action/upload-sarif": _upload_sarif,
}


# --- one simulated run per event ----------------------------------------------------------


WORKFLOW = load(ROOT / ".github" / "workflows" / "guards.yml")


def pr_event(
    action: str,
    base: str,
    head: str,
    *,
    title: str = "FR-1: grow the app",
    body: str | None = "Implements FR-1.",
    branch: str = "FR-1-work",
    fork: bool = False,
) -> dict[str, Any]:
    """A pull_request payload (a fixture of GitHub's shape) pointing at BASE and HEAD."""
    payload: dict[str, Any] = json.loads((HOOKS / f"pull_request.{action}.json").read_text())
    pr = payload["pull_request"]
    pr["title"], pr["body"] = title, body
    pr["base"].update(ref="main", sha=base)
    pr["head"].update(ref=branch, sha=head)
    payload["repository"]["full_name"] = pr["base"]["repo"]["full_name"] = REPOSITORY
    pr["head"]["repo"]["full_name"] = "someone/app" if fork else REPOSITORY
    return payload


class Simulation:
    """Runs guards.yml for one event; a local server answers GitHub API calls as GitHub would."""

    def __init__(self, tmp: Path, api: HTTPServer) -> None:
        self.tmp, self.api = tmp, api
        self.runner: Runner | None = None

    def __call__(
        self,
        repo: GitRepo,
        name: str,
        payload: dict[str, Any],
        sha: str,
        ref: str = "refs/pull/1/merge",
        workflow: dict[str, Any] = WORKFLOW,
        **inputs: Any,
    ) -> WorkflowRun:
        pr = payload.get("pull_request")
        if pr:  # GET /repos/{o}/{r}/pulls/{n} answers with the object the payload carries
            path = f"/repos/{REPOSITORY}/pulls/{pr['number']}"
            self.api.expect_request(path).respond_with_json(pr)
            self.api.expect_request(f"{path}/reviews").respond_with_json([])  # no waivers
        url = self.api.url_for("/")
        self.runner = Runner(
            self.tmp / "runner", repo.path, name, payload, sha=sha, ref=ref, api_url=url
        )
        return self.runner.run_workflow(workflow, {"guards": "manifest-scope", **inputs})
