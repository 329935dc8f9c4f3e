"""The real-project oracle (benchmarks/real_oracle.py, oracle/agreement.py) on a repository
this test builds: the static collector and real pytest agree item for item, undecidable
modules and modules that do not import are counted apart, and the script prints the figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from guards.collect.python.oracle import agreement, pytest_runner
from guards.core.git import Git
from testing.git_repo import GitRepo

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "tests/__init__.py": "",
    "tests/helpers.py": (
        "def ignored():\n"
        "    found = ['legacy']\n"
        "    for i in range(1, 3):\n"
        "        found.append('gen_' + str(i) + '.py')\n"
        "    return found\n"
    ),
    "tests/conftest.py": "from tests.helpers import ignored\n\ncollect_ignore = ignored()\n",
    "tests/gen_1.py": "def test_never():\n    assert False\n",
    "tests/test_a.py": (
        "import pytest\n\n\n"
        "def test_plain():\n    assert True\n\n\n"
        "@pytest.mark.skip(reason='later')\n"
        "def test_skipped():\n    assert True\n\n\n"
        "@pytest.mark.parametrize('n', [1, 2, 3])\n"
        "def test_param(n):\n    assert n\n"
    ),
    "tests/test_generated.py": (
        "import unittest\n\n"
        "TestMade = type('TestMade', (unittest.TestCase,), {'test_x': lambda self: None})\n"
    ),
    "tests/test_broken.py": "import not_installed_anywhere\n\n\ndef test_b():\n    pass\n",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str, Path]:
    made = GitRepo(tmp_path_factory.mktemp("oracle"))
    made.write(FILES)
    return Git(made.path), made.commit("oracle"), made.path


def test_static_and_pytest_agree_on_a_built_repository(repo: tuple[Git, str, Path]) -> None:
    git, sha, _ = repo
    static = agreement.collect_static(git, sha)
    found = pytest_runner.collect(git, sha, lenient=True)
    result = agreement.compare(static, found)
    assert result.both == 5
    assert (result.only_static, result.only_pytest) == ((), ())
    assert (result.skipped_both, result.skipped_neither) == (1, 4)
    assert list(result.undecidable) == ["tests/test_generated.py"]
    assert result.in_undecidable == 1
    assert result.not_imported == ("tests/test_broken.py",)


def test_a_disagreement_is_counted_not_hidden(repo: tuple[Git, str, Path]) -> None:
    git, sha, _ = repo
    static = agreement.collect_static(git, sha)
    found = pytest_runner.collect(git, sha, lenient=True)
    dropped = [i for i in found if not i.test.endswith("test_plain")]
    result = agreement.compare(static, dropped)
    assert result.only_static == ("tests/test_a.py::test_plain",)
    assert result.collected_ratio == pytest.approx(4 / 5)


def test_the_script_prints_the_figures(repo: tuple[Git, str, Path], tmp_path: Path) -> None:
    _, _, path = repo
    script = ROOT / "benchmarks" / "real_oracle.py"
    args = [sys.executable, str(script), str(path), "--python-dir", str(tmp_path)]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=600).stdout
    assert "collected: both 5, only static 0, only pytest 0 (agreement 100.00%)" in out
    assert "undecidable modules: 1 (pytest collects 1 items there)" in out
    assert "modules pytest could not import here: 1" in out
