"""Benchmark: each fault class of tests/test_faults.py through the real CLI, timed.

The suite asserts exit codes and messages; the time each hostile input takes is measured here
(a wall-clock bound in a test fails on a loaded runner and proves nothing about the code).
Prints one row per input: exit code, the first line of the message, and the seconds the
guards process took, wall clock and CPU (start-up included, building the repository not; on a
loaded machine the wall clock grows and the CPU time does not). Servers are real
local ones (pytest-httpserver, a socket that drips a byte every half second).
Run: python -m benchmarks.faults_bench [--only WORD]
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import resource
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Response

from testing import git_repo
from testing.git_repo import CliResult, GitRepo, pr_repo
from tests import hostile
from tests.hostile import DEEP_SOURCES, POLICIES, dripping

SLUG = "octo-org/app"
RULES = f"/repos/{SLUG}/rules/branches/main"
SCOPE = {"scope/FR-1.yaml": "allow: ['src/**']\n", "src/a.py": "A = 1\n"}
TEST = "def test_login():\n    pass\n"
SKIPPED = "import pytest\n\n@pytest.mark.skip\n" + TEST
Case = Callable[[Path], tuple[CliResult, str]]
Files = Mapping[str, str | None]


SPENT: list[tuple[float, float]] = []  # (wall, CPU) seconds in the CLI, repositories not built


def cli(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> CliResult:
    """The real CLI (python -m guards), timed: wall clock, and the CPU time of the guards
    process and its children (git), which a loaded machine does not inflate."""
    started, cpu = time.perf_counter(), _children_cpu()
    try:
        return git_repo.guards_cli(*args, cwd=cwd, env=env)
    finally:
        SPENT.append((time.perf_counter() - started, _children_cpu() - cpu))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(tmp: Path, base: Files, head: Files, *args: str) -> CliResult:
    repo, b, h = pr_repo(tmp / "r", base, head)
    return cli("run", "--base", b, "--head", h, *args, cwd=repo.path)


def policy(config: str) -> Case:
    return policy_file("guards.yaml", config)


def deep_source(source: str) -> Case:
    head: dict[str, str | None] = {"tests/test_a.py": TEST + source}
    return lambda tmp: (run(tmp, {"tests/test_a.py": TEST}, head, "--only", "skip-set"), "")


def ticket_pattern(tmp: Path) -> tuple[CliResult, str]:
    base = {"guards.yaml": "manifest-scope: {ticket-pattern: '(A+)+B'}\n", **SCOPE}
    repo, b, h = pr_repo(tmp / "r", base, {"src/a.py": "A = 2\n"})
    title = "A" * 5000 + "C"
    args = ("--pr-title", title, "--only", "manifest-scope")
    return cli("run", "--base", b, "--head", h, *args, cwd=repo.path), ""


def symlinked_test(tmp: Path) -> tuple[CliResult, str]:
    head: dict[str, str | None] = {"tests/test_a.py": None, "tests/cases.txt": SKIPPED}
    repo, b, _ = pr_repo(
        tmp / "r", {"tests/test_a.py": TEST}, head, symlinks={"tests/test_a.py": "cases.txt"}
    )
    args = ("run", "--base", b, "--head", "feature", "--only", "skip-set")
    return cli(*args, cwd=repo.path), ""


def spaced_path(tmp: Path) -> tuple[CliResult, str]:
    name = "tests/test_a\tb.py"
    return run(tmp, {name: TEST}, {name: SKIPPED}, "--only", "skip-set"), ""


def deep_folders(tmp: Path) -> tuple[CliResult, str]:
    repo = GitRepo(tmp / "r")
    repo.write({"tests/test_b.py": TEST})
    base = repo.commit("base")
    repo.branch("feature")
    oid = repo.git("hash-object", "-w", "--stdin", stdin=TEST.encode()).strip()
    deep = "/".join(["a"] * 3000) + "/test_a.py"
    repo.git("update-index", "--add", "--cacheinfo", f"100644,{oid},{deep}")
    repo.git("commit", "-q", "-m", "head")
    return cli("run", "--base", base, "--head", "feature", cwd=repo.path), ""


def event(payload: str) -> Case:
    def case(tmp: Path) -> tuple[CliResult, str]:
        repo, b, h = pr_repo(tmp / "r", {"a.txt": "1\n"}, {"a.txt": "2\n"})
        path = tmp / "event.json"
        path.write_text(payload.replace("%s", b, 1).replace("%s", h, 1))
        args = ("run", "--event-name", "pull_request", "--event-path", str(path))
        return cli(*args, cwd=repo.path), ""

    return case


def citations(tmp: Path) -> tuple[CliResult, str]:
    """13,000 range citations against a spec of 1,000 sections."""
    spec = "# Spec\n\n" + "".join(f"## §{i} Part {i}\n\ntext\n\n" for i in range(1, 1001))
    body = " ".join(f"§§{i % 1000 + 1}-{1000 - i % 1000}" for i in range(13_000))
    repo, b, h = pr_repo(tmp / "r", {"SPEC.md": spec}, {"a.txt": "2\n"})
    (tmp / "body.md").write_text(body)
    args = ("--pr-title", "x", "--pr-body-file", str(tmp / "body.md"), "--only", "spec-ref")
    return cli("run", "--base", b, "--head", h, *args, cwd=repo.path), ""


@contextmanager
def servers() -> Iterator[tuple[HTTPServer, HTTPServer]]:
    """The API's server and another host."""
    api, other = HTTPServer(host="127.0.0.1", port=0), HTTPServer(host="127.0.0.1", port=0)
    api.start()
    other.start()
    try:
        yield api, other
    finally:
        api.stop()
        other.stop()


def audit(api_url: str, tmp: Path, **extra: str) -> CliResult:
    env = {"GITHUB_API_URL": api_url, "GITHUB_TOKEN": "t0ken", "GUARDS_GITHUB_BACKOFF": "0"}
    args = ("protection", "audit", "--repo", SLUG, "--branch", "main")
    return cli(*args, cwd=tmp, env={**env, **extra})


def redirect_off_host(tmp: Path) -> tuple[CliResult, str]:
    with servers() as (api, other):
        there = other.url_for("/steal")
        api.expect_request(RULES).respond_with_response(
            Response(status=302, headers={"Location": there})
        )
        other.expect_request("/steal").respond_with_json([])
        result = audit(api.url_for("").rstrip("/"), tmp)
        seen = [r for r, _ in other.log]
        with_token = sum("Authorization" in r.headers for r in seen)
        return result, f"other host: {len(seen)} requests, {with_token} with Authorization"


def next_page_off_host(tmp: Path) -> tuple[CliResult, str]:
    with servers() as (api, other):
        link = f'<{other.url_for("/page2")}>; rel="next"'
        api.expect_request(RULES).respond_with_json([], headers={"Link": link})
        result = audit(api.url_for("").rstrip("/"), tmp)
        return result, f"other host: {len(other.log)} requests"


def looping_pages(tmp: Path) -> tuple[CliResult, str]:
    with servers() as (api, _):
        link = f'<{api.url_for(RULES)}?per_page=100>; rel="next"'
        api.expect_request(RULES).respond_with_json([], headers={"Link": link})
        return audit(api.url_for("").rstrip("/"), tmp), ""


def drip(tmp: Path) -> tuple[CliResult, str]:
    with dripping() as url:
        return audit(url, tmp, GUARDS_GITHUB_RETRIES="0", GUARDS_GITHUB_TIMEOUT="2"), ""


def artifact(storage: Callable[[HTTPServer, HTTPServer], str]) -> Case:
    """guards run taking base's report from the Actions API; the zip's URL answers 302 to the
    URL STORAGE sets up (on the other host, or a dripping server)."""

    def case(tmp: Path) -> tuple[CliResult, str]:
        repo, b, h = pr_repo(tmp / "r", {"tests/test_x.py": TEST}, {"tests/conftest.py": "#\n"})
        (tmp / "head.xml").write_text('<testsuites><testsuite name="pytest"/></testsuites>')
        with servers() as (api, other):
            _actions(api, b, storage(api, other))
            env = {"GITHUB_API_URL": api.url_for("").rstrip("/"), "GITHUB_TOKEN": "t0ken"}
            env |= {"GITHUB_REPOSITORY": "o/r", "GUARDS_GITHUB_TIMEOUT": "2"}
            args = ["--head-report", str(tmp / "head.xml"), "--report-artifact", "test-report"]
            args += ["--report-workflow", "tests.yml", "--only", "skip-set"]
            result = cli("run", "--base", b, "--head", h, *args, cwd=repo.path, env=env)
            seen = [r for r, _ in other.log]
            tokens = sum("Authorization" in r.headers for r in seen)
            return result, f"storage host: {len(seen)} requests, {tokens} with Authorization"

    return case


def _actions(api: HTTPServer, sha: str, storage: str) -> None:
    runs = "/repos/o/r/actions/workflows/tests.yml/runs"
    query = {"head_sha": sha, "status": "success", "per_page": "100"}
    api.expect_request(runs, query_string=query).respond_with_json(
        {"workflow_runs": [{"id": 7, "conclusion": "success"}]}
    )
    found = {"name": "test-report", "expired": False, "archive_download_url": api.url_for("/zip")}
    api.expect_request("/repos/o/r/actions/runs/7/artifacts").respond_with_json(
        {"artifacts": [found]}
    )
    api.expect_request("/zip").respond_with_response(
        Response(status=302, headers={"Location": storage})
    )


def zipped_report(api: HTTPServer, other: HTTPServer) -> str:
    """Storage on the other host answers with the zip of base's report."""
    suite = '<testsuite name="pytest"><testcase classname="tests.test_x" name="test_login"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("junit.xml", f"<testsuites>{suite}</testsuite></testsuites>")
    other.expect_request("/blob").respond_with_data(buffer.getvalue())
    return other.url_for("/blob")


def linked_folder(files: int) -> Case:
    def case(tmp: Path) -> tuple[CliResult, str]:
        scope = "allow: ['src/**', vendor/big, 'vendor/big/**']\n"
        repo, base = hostile.linked_folder(tmp / "r", files, scope)
        args = ("run", "--base", base, "--head", "feature", "--ticket", "FR-1")
        return cli(*args, cwd=repo.path), ""

    return case


def cases() -> dict[str, Case]:
    head_sha = '"head": {"sha": "%s", "ref": "f"}'
    found: dict[str, Case] = {f"guards.yaml {k}": policy(v[0]) for k, v in POLICIES.items()}
    found["pyproject tool = 'guards'"] = policy_file("pyproject.toml", 'tool = "guards"\n')
    found["ticket-pattern (A+)+B, 5,001-char title"] = ticket_pattern
    found.update({f"test file {k}": deep_source(v[0]) for k, v in DEEP_SOURCES.items()})
    found["test file 3,000 folders deep"] = deep_folders
    found["test path with a tab"] = spaced_path
    found["symlinked test file"] = symlinked_test
    found["event pull_request null"] = event('{"pull_request": null}')
    found["event body an object"] = event(
        '{"pull_request": {"base": {"sha": "%s", "ref": "main"}, ' + head_sha + ', "body": {}}}'
    )
    found["event nested 100,000 deep"] = event("[" * 100_000 + "]" * 100_000)
    found["13,000 range citations, 1,000 sections"] = citations
    found["API redirect to another host"] = redirect_off_host
    found["API next page on another host"] = next_page_off_host
    found["API pagination loop"] = looping_pages
    found["API drips a byte each 0.5 s (2 s deadline)"] = drip
    found["artifact: storage on another host"] = artifact(zipped_report)
    found["artifact: storage drips (2 s deadline)"] = dripping_artifact
    found["symlink to a folder of 10,001 files"] = linked_folder(10_001)
    found["symlink to a folder of 10,000 files"] = linked_folder(10_000)
    return found


def dripping_artifact(tmp: Path) -> tuple[CliResult, str]:
    with dripping() as url:
        return artifact(lambda _api, _other: url + "/blob")(tmp)


def policy_file(name: str, text: str) -> Case:
    base = {name: text, **SCOPE}
    return lambda tmp: (run(tmp, base, {"src/a.py": "2\n"}, "--ticket", "FR-1"), "")


def first_line(result: CliResult) -> str:
    """The message: stderr's first line on exit 2, else the first finding that is not a pass."""
    lines = result.stderr.splitlines() if result.code == 2 else []
    lines += [ln for ln in result.stdout.splitlines() if ln.strip().startswith(("fail ", "error "))]
    lines += result.stdout.splitlines()
    text = next((ln.strip() for ln in lines if ln.strip()), "")
    return text if len(text) <= 160 else text[:157] + "..."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the inputs whose name holds this word")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the table is the output
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| input | exit | first line of the message | wall s | CPU s |")
    print("|---|---|---|---|---|")
    for name, case in cases().items():
        if args.only not in name:
            continue
        with tempfile.TemporaryDirectory(prefix="guards-faults-") as tmp:
            SPENT.clear()
            result, note = case(Path(tmp))
            wall, cpu = sum(w for w, _ in SPENT), sum(c for _, c in SPENT)
        message = first_line(result).replace("|", "\\|") + (f" ({note})" if note else "")
        print(f"| {name} | {result.code} | {message} | {wall:.2f} | {cpu:.2f} |", flush=True)


if __name__ == "__main__":
    main()
