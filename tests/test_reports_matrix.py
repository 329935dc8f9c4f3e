"""Matrix jobs: one report per matrix entry, compared entry to entry.

The entry is the folder right below a glob's literal root (what download-artifact's
``pattern:`` writes: one folder per artifact). Pure comparisons first, then the real CLI on
reports written by real pytest, one run per entry (each entry sets its own environment).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guards.collect.reports.compare import compare
from guards.collect.reports.model import RunReport, RunTest
from guards.collect.reports.reading import entry_of, load
from testing.git_repo import GitRepo, guards_cli, pr_repo


def side(**entries: dict[str, str]) -> RunReport:
    """A side's report: entry -> {test: outcome}; ``tests`` merged as load() merges them."""
    grouped = {
        e: {k: RunTest(k, v, name=k) for k, v in tests.items()} for e, tests in entries.items()
    }
    merged: dict[str, RunTest] = {}
    for tests in grouped.values():
        for key, test in tests.items():
            if key not in merged or test.ran:
                merged[key] = test
    return RunReport(merged, (), grouped)


def always(_: RunTest) -> bool:
    return True


@pytest.mark.parametrize(
    ("path", "pattern", "entry"),
    [
        ("h/py311/junit.xml", "h/*/*.xml", "py311"),
        ("h/py311/reports/deep/junit.xml", "h/**/*.xml", "py311"),
        ("h/junit.xml", "h/*.xml", ""),
        ("h/junit.xml", "h/junit.xml", ""),  # no glob: a single report
        ("h/a/junit.xml", "h/a/junit.xml", ""),
        ("h/a/x/junit.xml", "h/a/*/junit.xml", "x"),
        ("junit-1.xml", "junit-*.xml", ""),
    ],
)
def test_the_entry_is_the_folder_below_the_glob_root(path: str, pattern: str, entry: str) -> None:
    assert entry_of(path, pattern) == entry


def test_a_test_skipped_on_one_entry_is_found_though_another_entry_ran_it() -> None:
    base = side(linux={"t::a": "passed", "t::b": "passed"}, windows={"t::a": "passed"})
    head = side(linux={"t::a": "passed", "t::b": "passed"}, windows={"t::a": "skipped"})
    verdict = compare(base, head, always, {}, True)
    assert [(g.head.test, g.entries) for g in verdict.grown] == [("t::a", ("windows",))]
    assert not verdict.vanished and not verdict.missing


def test_the_same_merged_as_one_report_would_pass_it() -> None:
    """What the entries add: merged, a test that ran anywhere counts as run."""
    base = side(**{"": {"t::a": "passed"}})
    head = side(**{"": {"t::a": "passed"}}, other={"t::a": "skipped"})
    assert not compare(base, head, always, {}, True).grown


def test_an_entry_missing_at_head_is_named_with_its_count() -> None:
    base = side(linux={"t::a": "passed"}, windows={"t::a": "passed", "t::w": "skipped"})
    head = side(linux={"t::a": "passed"})
    verdict = compare(base, head, always, {}, True)
    assert [(m.entry, m.ran) for m in verdict.missing] == [("windows", 1)]
    assert not verdict.grown and not verdict.vanished


def test_a_test_moved_between_entries_is_neither_vanished_nor_counted_twice() -> None:
    base = side(a={"t::x": "passed", "t::y": "passed"}, b={"t::y": "passed"})
    moved = side(a={"t::y": "passed"}, b={"t::x": "passed", "t::y": "passed"})
    assert compare(base, moved, always, {}, True) == compare(base, base, always, {}, True)
    gone = side(a={"t::x": "passed"}, b={"t::x": "passed"})
    verdict = compare(base, gone, always, {}, True)
    assert [t.test for t in verdict.vanished] == ["t::y"]  # once, though two entries ran it


def test_a_test_moved_to_an_entry_that_skips_it_is_dropped() -> None:
    base = side(a={"t::x": "passed"}, b={"t::z": "passed"})
    head = side(a={"t::z": "passed"}, b={"t::x": "skipped", "t::z": "passed"})
    verdict = compare(base, head, always, {}, True)
    assert [(g.head.outcome, g.entries) for g in verdict.dropped] == [("skipped", ("a",))]


def test_a_test_one_entry_stops_reporting_while_another_runs_it_is_dropped() -> None:
    """A platform matrix: every entry runs the whole suite; one entry loses a test."""
    base = side(a={"t::x": "passed", "t::y": "passed"}, b={"t::x": "passed", "t::y": "passed"})
    head = side(a={"t::x": "passed", "t::y": "passed"}, b={"t::y": "passed"})
    verdict = compare(base, head, always, {}, True)
    assert [(g.base.test, g.entries) for g in verdict.dropped] == [("t::x", ("b",))]
    assert not verdict.vanished and not verdict.grown


def test_an_entry_holding_no_test_at_head_is_missing() -> None:
    base = side(a={"t::x": "passed"}, b={"t::x": "passed"})
    head = side(a={"t::x": "passed"}, b={})
    verdict = compare(base, head, always, {}, True)
    assert [m.entry for m in verdict.missing] == ["b"] and not verdict.dropped


def test_a_test_skipped_on_every_entry_is_one_finding_naming_them() -> None:
    base = side(a={"t::x": "passed"}, b={"t::x": "passed"})
    head = side(a={"t::x": "skipped"}, b={"t::x": "xfailed"})
    verdict = compare(base, head, always, {}, True)
    assert [(g.head.test, g.entries) for g in verdict.grown] == [("t::x", ("a", "b"))]


def test_one_entry_at_base_compares_the_merged_sides() -> None:
    """A single-report base (or a matrix born in the PR) is compared as today."""
    base = side(**{"": {"t::x": "passed"}})
    head = side(a={"t::x": "passed"}, b={"t::x": "skipped"})
    verdict = compare(base, head, always, {}, True)
    assert not verdict.grown and not verdict.missing


def test_load_groups_files_by_entry(tmp_path: Path) -> None:
    case = '<testsuite name="s"><testcase classname="K" name="{}"/></testsuite>'
    for entry, name in (("a", "t1"), ("b", "t2"), ("b", "t3")):
        (tmp_path / entry).mkdir(exist_ok=True)
        (tmp_path / entry / f"{name}.xml").write_text(case.format(name))
    report = load([str(tmp_path / "**" / "*.xml")])
    assert {e: sorted(t) for e, t in report.entries.items()} == {
        "a": ["K::t1"],
        "b": ["K::t2", "K::t3"],
    }
    assert sorted(report.tests) == ["K::t1", "K::t2", "K::t3"]


# --- the real CLI on real pytest reports, one run per matrix entry -------------------------

TESTS = """import os
import sys

import pytest


def test_add():
    assert 1 + 1 == 2


def test_platform():
    assert os.environ["ENTRY"] in ("py-a", "py-b")


def test_io():
    assert sys.version_info >= (3, 8)
"""
# at head, entry py-b stops running test_io: a conftest hook the static witness cannot decide
DESELECTS_ON_B = """import os


def pytest_collection_modifyitems(session, config, items):
    if os.environ.get("ENTRY") == "py-b":
        items[:] = [i for i in items if i.name != "test_io"]
"""


def pytest_matrix(repo: GitRepo, rev: str, folder: Path) -> None:
    """REV's suite once per entry, each report in FOLDER/<entry>/ (download-artifact's
    layout with ``pattern:``)."""
    repo.git("checkout", "-q", rev)
    for entry in ("py-a", "py-b"):
        env = {**os.environ, "ENTRY": entry, "PYTHONDONTWRITEBYTECODE": "1"}
        xml = folder / f"test-report-{entry}" / "junit.xml"
        args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}", "tests"]
        subprocess.run([sys.executable, *args], cwd=repo.path, env=env, check=True)


Failed = list[dict[str, str]]


def matrix_run(
    tmp_path: Path, head_files: dict[str, str | None], drop: str = ""
) -> tuple[int, Failed]:
    """Base and head of a PR, each tested on entries py-a and py-b, then ``guards run``."""
    repo, base, head = pr_repo(tmp_path / "repo", {"tests/test_m.py": TESTS}, head_files)
    pytest_matrix(repo, base, tmp_path / "base")
    pytest_matrix(repo, head, tmp_path / "head")
    if drop:
        for path in (tmp_path / "head" / drop).iterdir():
            path.unlink()
        (tmp_path / "head" / drop).rmdir()
    result = guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--head", head, "--only", "skip-set",
        "--format", "json", "--base-report", str(tmp_path / "base" / "**" / "*.xml"),
        "--head-report", str(tmp_path / "head" / "**" / "*.xml"),
    )  # fmt: skip # -- a packed call reads better here
    assert result.code in (0, 1), result.stdout + result.stderr
    failed = [f for g in result.json()["guards"] for f in g["findings"] if f["outcome"] == "fail"]
    print(result.stdout)
    return result.code, failed


def test_a_test_one_entry_stops_running_fails_naming_the_entry(tmp_path: Path) -> None:
    code, failed = matrix_run(tmp_path, {"tests/conftest.py": DESELECTS_ON_B})
    assert code == 1
    assert [(f["rule"], f["test"]) for f in failed] == [
        ("tests_still_run", "tests/test_m.py::test_io")
    ]
    assert "in matrix entry test-report-py-b and is absent" in failed[0]["message"]


def test_the_clean_twin_passes(tmp_path: Path) -> None:
    clean = TESTS.replace("assert 1 + 1 == 2", "assert 2 + 2 == 4")
    code, failed = matrix_run(tmp_path, {"tests/test_m.py": clean})
    assert (code, failed) == (0, [])


def test_an_entry_whose_report_is_gone_at_head_fails_naming_it(tmp_path: Path) -> None:
    clean = {"tests/test_m.py": TESTS.replace("1 + 1", "2 + 0")}
    code, failed = matrix_run(tmp_path, clean, drop="test-report-py-b")
    assert code == 1
    assert [f["test"] for f in failed] == ["entry:test-report-py-b"]
    assert "matrix entry 'test-report-py-b' ran 3 test(s) at base" in failed[0]["message"]
