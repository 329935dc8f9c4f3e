"""Untrusted text cannot inject workflow commands.

A PR whose title and body carry ``::add-mask::``, ``::error::`` and ``::stop-commands::``, and
whose file names carry ``::``, CR, LF and percent escapes, runs through the real CLI and through
the simulated workflow. Every line the runner would read as a command is parsed, and each must
be one guards emits by design: an error or warning annotation whose title, file and message
are those of a finding in the JSON report, or the one "more findings" notice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from workflow_commands import Command, command_like_lines, hidden_starts, parse
from workflow_sim import Simulation, pr_event

from testing.git_repo import CliResult, GitRepo, guards_cli, pr_repo

TITLE = "FR-1: harmless\n::error::title injection\r::add-mask::from-title"
BODY = (
    "Implements §1 and §7::error::x, §9.\n::add-mask::hunter2\n"
    "::error file=src/a.py,line=1::fake finding\n"
    "::stop-commands::endtoken\n%0A::warning::encoded\r::error::carriage\n  ::notice::indented\n"
    "::set-output name=ok::true\n::endtoken::"
)
HOSTILE = [
    "evil\n::error::newline.txt",
    "::add-mask::hunter2.txt",
    "x::stop-commands::tok.txt",
    "a%0A::warning::percent.txt",
    "comma,colon:name=value.txt",
    "cr\r::error::carriage.txt",
    "  ::error::leading-space.txt",
    "sep\u2028::error::unicode-line-separator.txt",
    "nel\u0085::error::next-line.txt",
    "d/::notice title=x::nested/file.txt",
    "many%25%3A%2C::.txt",
]
NOT_UTF8 = "bytes\udcff::error::not-utf8.txt"  # whatever a guard makes of it, no command leaks
NOTICE = re.compile(r"\d+ more finding\(s\) are in the job summary")


def hostile_repo(tmp: Path, names: list[str] = HOSTILE) -> tuple[GitRepo, str, str]:
    """Base: a scope allowing src/**; head: every hostile name added (literal pathspecs, as a
    name starting with ':' would otherwise be read as pathspec magic)."""
    repo, base, _ = pr_repo(
        tmp / "origin",
        {
            "scope/FR-1.yaml": 'allow: ["src/**"]\nsections: ["1"]\n',
            "src/a.py": "A = 1\n",
            "SPEC.md": "# Spec\n\n## 1. Scope\n\nText.\n",
        },
        {"src/a.py": "A = 2\n"},
        branch="FR-1-work",
    )
    for name in names:
        target = repo.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x\n")
    repo.git("--literal-pathspecs", "add", "-f", "--", *names)
    return repo, base, repo.commit("hostile names")


def broken(message: str) -> str:
    """The message as the runner shows it: as written, except a '::' right after a Unicode
    line break (not CR/LF), which guards breaks with a zero-width space."""
    return re.sub(r"([\v\f\x1c\x1d\x1e\x85\u2028\u2029]\s*):(?=:)", "\\1:\u200b", message)


def intended(report: dict[str, Any]) -> set[tuple[str, str, str | None, str]]:
    """(command, title, file, message) of every annotation guards may emit for REPORT."""
    level = {"error": "error", "fail": "error", "warn": "warning", "unknown": "warning"}
    return {
        (level[f["outcome"]], f"{g['guard']}: {f['rule']}", f["path"], broken(f["message"]))
        for g in report["guards"]
        for f in g["findings"]
        if f["outcome"] in level
    }


def check_stream(text: str, allowed: set[tuple[str, str, str | None, str]]) -> list[Command]:
    """Every command-like line in TEXT is an intended annotation or the notice."""
    assert hidden_starts(text) == []
    seen = []
    for line in command_like_lines(text):
        cmd = parse(line)
        assert cmd is not None, f"unparsable command line {line!r}"
        if cmd.name == "notice":
            assert cmd.properties == {"title": "guards"} and NOTICE.fullmatch(cmd.data), line
        else:
            key = (cmd.name, cmd.properties.get("title"), cmd.properties.get("file"), cmd.data)
            assert key in allowed, f"unintended workflow command {line!r}"
            assert set(cmd.properties) <= {"title", "file", "line"}, line
        seen.append(cmd)
    return seen


def cli(repo: GitRepo, b: str, h: str, env: dict[str, str], *args: str) -> CliResult:
    return guards_cli("run", "--repo", str(repo.path), "--base", b, "--head", h, *args, env=env)


def event_env(tmp: Path, payload: dict[str, Any], api: HTTPServer) -> dict[str, str]:
    event = tmp / "event.json"
    event.write_text(json.dumps(payload))
    pr = payload["pull_request"]
    api.expect_request(f"/repos/octo/app/pulls/{pr['number']}").respond_with_json(pr)
    api.expect_request(f"/repos/octo/app/pulls/{pr['number']}/reviews").respond_with_json([])
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": "octo/app",
        "GITHUB_API_URL": api.url_for("/").rstrip("/"),
        "GITHUB_TOKEN": "t",
        "GITHUB_STEP_SUMMARY": str(tmp / "summary.md"),
        "GITHUB_OUTPUT": str(tmp / "output"),
    }


@pytest.mark.parametrize(
    "only",
    [
        ("--only", "manifest-scope"),
        ("--only", "spec-ref"),
        ("--only", "manifest-scope", "--only", "spec-ref"),
    ],
)
def test_cli_emits_only_intended_commands(
    tmp_path: Path, httpserver: HTTPServer, only: tuple[str, ...]
) -> None:
    repo, b, h = hostile_repo(tmp_path)
    env = event_env(tmp_path, pr_event("opened", b, h, title=TITLE, body=BODY), httpserver)
    result = cli(repo, b, h, env, *only)
    json_env = {k: v for k, v in env.items() if k not in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT")}
    report = cli(repo, b, h, json_env, *only, "--format", "json").json()
    allowed = intended(report)
    assert allowed, "the hostile PR must produce findings to annotate"
    cmds = check_stream(result.stdout, allowed)
    assert cmds, result.stderr
    assert check_stream(result.stderr, set()) == []
    assert re.fullmatch(r"ok=(true|false)\nfindings=\d+\n", Path(env["GITHUB_OUTPUT"]).read_text())


def test_every_hostile_name_is_annotated_with_its_exact_path(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    repo, b, h = hostile_repo(tmp_path)
    env = event_env(tmp_path, pr_event("opened", b, h, title=TITLE, body=BODY), httpserver)
    result = cli(repo, b, h, env, "--only", "manifest-scope")
    assert result.code == 1, result.stderr
    cmds = [parse(line) for line in command_like_lines(result.stdout)]
    files = [c.properties["file"] for c in cmds if c is not None and c.name == "error"]
    names = {n.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for n in HOSTILE}
    assert len(files) == len(set(files)) == 10 and set(files) <= names
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    rows = [line for line in summary.splitlines() if line.startswith("| fail |")]
    assert len(rows) == len(HOSTILE), "one table row per finding: no name breaks the table"
    assert "hunter2" in summary and "<" not in summary


def test_simulated_workflow_emits_only_intended_commands(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    repo, b, h = hostile_repo(tmp_path)
    payload = pr_event("edited", b, h, title=TITLE, body=BODY)
    run = Simulation(tmp_path / "sim", httpserver)(repo, "pull_request", payload, h)
    job = run.jobs["guards"]
    assert job.outcome == "failure"
    env = event_env(tmp_path, payload, httpserver)
    json_env = {k: v for k, v in env.items() if k not in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT")}
    allowed = intended(
        cli(repo, b, h, json_env, "--only", "manifest-scope", "--format", "json").json()
    )
    seen = [c for step in job.all_steps() for c in check_stream(step.stdout, allowed)]
    seen += [c for step in job.all_steps() for c in check_stream(step.stderr, set())]
    assert [c.name for c in seen] == ["error"] * 10 + ["notice"]
    assert run.outputs == {"ok": "false", "findings": str(len(HOSTILE))}
