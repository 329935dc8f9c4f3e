"""skip-set's second witness with REAL jest + jest-junit (installed once with npm into
~/.cache/guards-tests, shared by every session): ``it.skip`` on one test and ``.only`` on a
sibling at head, reports at base and head, ``guards run`` fails naming what stopped running."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from testing.git_repo import GitRepo, guards_cli, pr_repo

CACHE = Path.home() / ".cache" / "guards-tests" / "jest29-junit16"
PACKAGES = ("jest@29", "jest-junit@16")
PACKAGE_JSON = '{"name": "calc", "private": true, "scripts": {"test": "jest --ci"}}\n'
SPEC = """describe("Calc", () => {
  it("adds two numbers", () => { expect(1 + 1).toBe(2); });
  it("subtracts", () => { expect(2 - 1).toBe(1); });
  it("multiplies", () => { expect(2 * 2).toBe(4); });
});
"""
HEAD_SPEC = SPEC.replace('it("adds', 'it.skip("adds').replace('it("subtracts', 'it.only("subtracts')


@pytest.fixture(scope="session")
def jest() -> Path:
    """node_modules holding jest and jest-junit; npm missing is a failure, never a skip."""
    modules = CACHE / "node_modules"
    if (modules / "jest-junit" / "package.json").is_file():
        return modules
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not on PATH: the jest report tests need node and npm")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="jest-", dir=CACHE.parent))
    (staging / "package.json").write_text('{"name": "guards-jest-cache", "private": true}\n')
    args = [npm, "install", "--no-audit", "--no-fund", "--silent", *PACKAGES]
    subprocess.run(args, cwd=staging, check=True)
    try:
        staging.rename(CACHE)
    except OSError:  # another session finished first: use its copy
        shutil.rmtree(staging, ignore_errors=True)
    return modules


def jest_run(repo: GitRepo, rev: str, modules: Path, report: Path) -> None:
    repo.git("checkout", "-q", rev)
    env = {**os.environ, "JEST_JUNIT_OUTPUT_FILE": str(report), "CI": "1"}
    args = ["node", str(modules / "jest" / "bin" / "jest.js"), "--ci", "--rootDir", str(repo.path)]
    args += ["--reporters=default", f"--reporters={modules / 'jest-junit'}"]
    subprocess.run(args, cwd=repo.path, env=env, check=True)


def test_it_skip_and_a_focused_sibling_fail_naming_the_tests(jest: Path, tmp_path: Path) -> None:
    repo, base, head = pr_repo(
        tmp_path / "repo",
        {"package.json": PACKAGE_JSON, "src/calc.test.js": SPEC},
        {"src/calc.test.js": HEAD_SPEC},
    )
    jest_run(repo, base, jest, tmp_path / "base.xml")
    jest_run(repo, head, jest, tmp_path / "head.xml")
    result = guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--head", head, "--only", "skip-set",
        "--format", "json", "--base-report", str(tmp_path / "base.xml"),
        "--head-report", str(tmp_path / "head.xml"),
    )  # fmt: skip # -- a packed call reads better here
    assert result.code == 1, result.stderr
    failed = {
        f["test"]: f["rule"]
        for g in result.json()["guards"]
        for f in g["findings"]
        if f["outcome"] == "fail"
    }
    # both witnesses: the report (jest-junit's default ids) and the static JS collector
    assert failed == {
        "Calc::Calc adds two numbers": "skip_set_not_grown",
        "Calc::Calc multiplies": "skip_set_not_grown",
        "src/calc.test.js > Calc > adds two numbers": "skip_set_not_grown",
        "src/calc.test.js > Calc > multiplies": "skip_set_not_grown",
    }


def test_the_jest_reports_list_the_skipped_tests(jest: Path, tmp_path: Path) -> None:
    repo, _, head = pr_repo(
        tmp_path / "repo", {"package.json": PACKAGE_JSON, "src/calc.test.js": SPEC},
        {"src/calc.test.js": HEAD_SPEC},
    )  # fmt: skip # -- a packed call reads better here
    jest_run(repo, head, jest, tmp_path / "head.xml")
    args = ["skips", "list", "--repo", str(repo.path), "--rev", head, "--format", "json"]
    result = guards_cli(*args, "--report", str(tmp_path / "head.xml"))
    assert result.code == 0, result.stderr
    listed = {s["test"]: s["kind"] for s in result.json()["skipped"]}
    assert listed == {
        "Calc::Calc adds two numbers": "report-skipped",
        "Calc::Calc multiplies": "report-skipped",
    }
