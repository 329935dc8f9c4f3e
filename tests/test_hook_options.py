"""Flags a conftest declares, read in its hooks as pytest runs them (parsing/hook_options.py):
urllib3's ``--integration`` and pytest's documented ``--runslow``, against real pytest."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect.python.collector import Collector, Request
from guards.collect.python.oracle import pytest_runner
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo

URLLIB3 = """\
import pytest


def pytest_addoption(parser):
    parser.addoption("--integration", action="store_true", default=False, help="run them")


def pytest_collection_modifyitems(config, items):
    integration_mode = bool(config.getoption("--integration"))
    skip_integration = pytest.mark.skip(reason="need --integration")
    skip_normal = pytest.mark.skip(reason="not in --integration mode")
    for item in items:
        if "integration" in item.keywords and not integration_mode:
            item.add_marker(skip_integration)
        elif integration_mode and "integration" not in item.keywords:
            item.add_marker(skip_normal)
"""
RUNSLOW = """\
import pytest


def pytest_addoption(parser):
    group = parser.getgroup("slow")
    group.addoption("--run-slow", action="store_true", dest="runslow", help="run slow tests")


def pytest_collection_modifyitems(config, items):
    if config.option.runslow:
        return
    skip_slow = pytest.mark.skip(reason="need --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)
"""
TESTS = """\
import pytest


def test_plain():
    pass


@pytest.mark.integration
def test_network():
    pass


@pytest.mark.slow
def test_heavy():
    pass
"""
MARKERS = "markers =\n    integration: x\n    slow: y\n"


def _skipped(tmp_path: Path, conftest: str, addopts: str) -> tuple[set[str], set[str]]:
    """The node ids the collector and real pytest say are skipped at collection."""
    repo = GitRepo(tmp_path)
    ini = f"[pytest]\n{MARKERS}" + (f"addopts = {addopts}\n" if addopts else "")
    repo.write({"pytest.ini": ini, "conftest.py": conftest, "test_a.py": TESTS})
    sha = repo.commit("flags")
    git = Git(repo.path)
    results = Collector(Revision(git, sha, git.list_files(sha))).collect(Request(("test_a.py",)))
    static = {t.nodeid for r in results.values() for t in r.tests if t.skips}
    real = {i.test for i in pytest_runner.collect(git, sha) if "skip" in i.kinds}
    return static, real


@pytest.mark.parametrize(
    ("conftest", "addopts", "skipped"),
    [
        (URLLIB3, "", {"test_a.py::test_network"}),
        (URLLIB3, "--integration", {"test_a.py::test_plain", "test_a.py::test_heavy"}),
        (RUNSLOW, "", {"test_a.py::test_heavy"}),
        (RUNSLOW, "--run-slow", set()),
    ],
)
def test_a_declared_flag_is_its_value_on_the_run_as_pytest_reads_it(
    tmp_path: Path, conftest: str, addopts: str, skipped: set[str]
) -> None:
    static, real = _skipped(tmp_path, conftest, addopts)
    assert static == real == skipped


def test_a_flag_no_conftest_declares_still_counts_as_true(tmp_path: Path) -> None:
    """A plugin's option: unknown, so the hook's skip may apply (both branches)."""
    conftest = URLLIB3.replace("def pytest_addoption", "def _not_the_hook")
    repo = GitRepo(tmp_path)
    repo.write({"pytest.ini": f"[pytest]\n{MARKERS}", "conftest.py": conftest, "test_a.py": TESTS})
    sha = repo.commit("plugin flag")
    git = Git(repo.path)
    results = Collector(Revision(git, sha, git.list_files(sha))).collect(Request(("test_a.py",)))
    assert {t.nodeid for r in results.values() for t in r.tests if t.skips} == {
        "test_a.py::test_plain",
        "test_a.py::test_network",
        "test_a.py::test_heavy",
    }
