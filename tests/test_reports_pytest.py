"""skip-set's second witness with REAL pytest: reports written by pytest --junitxml and
--report-log at base and at head of a repository built here, then ``guards run``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from testing.git_repo import GitRepo, guards_cli, pr_repo

TESTS = """import pytest


class TestCalc:
    def test_add(self):
        assert 1 + 1 == 2

    @pytest.mark.parametrize("x", [1, 2])
    def test_positive(self, x):
        assert x > 0


def test_plain():
    assert True


@pytest.mark.skip(reason="waiting on upstream")
def test_already_skipped():
    pass
"""
ENDS_SESSION = """import os

import pytest


def pytest_collection_modifyitems(session, config, items):
    if os.environ.get("CI"):
        pytest.exit("done", returncode=0)
"""
RAN = [
    "tests/test_calc.py::TestCalc::test_add",
    "tests/test_calc.py::TestCalc::test_positive[1]",
    "tests/test_calc.py::TestCalc::test_positive[2]",
    "tests/test_calc.py::test_plain",
]


def pytest_run(repo: GitRepo, rev: str, out: Path, name: str) -> tuple[Path, Path, int]:
    """Check REV out and run real pytest with CI=1, writing both report formats."""
    repo.git("checkout", "-q", rev)
    xml, log = out / f"{name}.xml", out / f"{name}.jsonl"
    env = {**os.environ, "CI": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}"]
    args += [f"--report-log={log}", "tests"]
    proc = subprocess.run([sys.executable, *args], cwd=repo.path, env=env, check=False)
    return xml, log, proc.returncode


def guards_run(repo: Path, base: str, head: str, *reports: str) -> tuple[int, Any, str]:
    args = ["run", "--repo", str(repo), "--base", base, "--head", head, "--only", "skip-set"]
    result = guards_cli(*args, "--format", "json", *reports)
    return result.code, result.json() if result.stdout.strip() else {}, result.stderr


def failed_tests(doc: Any) -> dict[str, str]:
    found = [f for g in doc["guards"] for f in g["findings"] if f["outcome"] == "fail"]
    return {f.get("test") or "": f["rule"] for f in found}


def build(tmp_path: Path, head_files: dict[str, str | None]) -> tuple[GitRepo, str, str]:
    return pr_repo(tmp_path / "repo", {"tests/test_calc.py": TESTS}, head_files)


def test_a_conftest_that_ends_the_session_under_ci_fails_naming_every_test(
    tmp_path: Path,
) -> None:
    repo, base, head = build(tmp_path, {"tests/conftest.py": ENDS_SESSION})
    bxml, blog, bcode = pytest_run(repo, base, tmp_path, "base")
    hxml, hlog, hcode = pytest_run(repo, head, tmp_path, "head")
    assert (bcode, hcode) == (0, 0)  # CI is green at head: that is the evasion
    for base_report, head_report in ((bxml, hxml), (blog, hlog)):
        reports = ("--base-report", str(base_report), "--head-report", str(head_report))
        code, doc, _ = guards_run(repo.path, base, head, *reports)
        assert code == 1
        failed = failed_tests(doc)
        assert all(failed.get(t) == "tests_still_run" for t in RAN), failed
        assert "tests/test_calc.py::test_already_skipped" not in failed


def test_a_newly_skipped_test_names_the_runner_message(tmp_path: Path) -> None:
    skipping = TESTS.replace(
        "    def test_add(self):\n", "    def test_add(self):\n        pytest.skip('flaky on CI')\n"
    )
    repo, base, head = build(tmp_path, {"tests/test_calc.py": skipping})
    bxml, _, _ = pytest_run(repo, base, tmp_path, "base")
    hxml, _, _ = pytest_run(repo, head, tmp_path, "head")
    code, doc, _ = guards_run(
        repo.path, base, head, "--base-report", str(bxml), "--head-report", str(hxml)
    )
    assert code == 1
    messages = [f["message"] for g in doc["guards"] for f in g["findings"]]
    assert failed_tests(doc) == {"tests/test_calc.py::TestCalc::test_add": "skip_set_not_grown"}
    assert any("flaky on CI" in m or "pytest.skip()" in m for m in messages)


def test_an_unchanged_suite_passes_with_globbed_reports(tmp_path: Path) -> None:
    repo, base, head = build(tmp_path, {"README.md": "docs\n"})
    (tmp_path / "b").mkdir()
    (tmp_path / "h").mkdir()
    pytest_run(repo, base, tmp_path / "b", "r")
    pytest_run(repo, head, tmp_path / "h", "r")
    code, doc, err = guards_run(
        repo.path, base, head, "--base-report", str(tmp_path / "b" / "*"),
        "--head-report", str(tmp_path / "h" / "r.*"),
    )  # fmt: skip # -- a packed call reads better here
    assert code == 0, (doc, err)


def test_a_session_ended_mid_run_is_caught_by_the_cross_check(tmp_path: Path) -> None:
    """A doctored head report (tests removed from it) disagrees with the static witness."""
    repo, base, head = build(tmp_path, {"tests/conftest.py": "# harmless edit\n"})
    bxml, _, _ = pytest_run(repo, base, tmp_path, "base")
    hxml, _, _ = pytest_run(repo, head, tmp_path, "head")
    doctored = hxml.read_text().replace('name="test_plain"', 'name="test_plain_gone"')
    hxml.write_text(doctored)
    code, doc, _ = guards_run(
        repo.path, base, head, "--base-report", str(bxml), "--head-report", str(hxml)
    )
    assert code == 1
    assert failed_tests(doc)["tests/test_calc.py::test_plain"] == "tests_still_run"


def test_a_missing_or_unparsable_head_report_is_exit_2(tmp_path: Path) -> None:
    repo, base, head = build(tmp_path, {"tests/conftest.py": ENDS_SESSION})
    bxml, _, _ = pytest_run(repo, base, tmp_path, "base")
    broken = tmp_path / "broken.xml"
    broken.write_text("<testsuites><testsuite name='pytest'>")
    for head_report in (str(tmp_path / "nothing-*.xml"), str(broken)):
        reports = ("--base-report", str(bxml), "--head-report", head_report)
        code, doc, _ = guards_run(repo.path, base, head, *reports)
        assert code == 2
        (finding,) = [f for g in doc["guards"] for f in g["findings"]]
        assert finding["outcome"] == "error"
        assert Path(head_report).name in finding["message"]
