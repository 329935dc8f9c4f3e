"""Methods reached through a class (linking/resolve.py's ``member``), on real git repositories:
``Env.require_gpu()``, a fresh instance's ``Env().require_gpu()``, a nested class's, a
module-level instance's or alias's, an inherited one, ``cls.`` and ``self.`` inside them, and a
helper function that calls one. The whole-tree listing (``guards skips list``: its reach prunes
and its prefilter reads only the bodies that say a reaching name) names exactly the tests real
pytest skips; pruning changes nothing; a pull request that touches only the helper is caught by
``guards run`` (sources/dependents.py). The trap these hold: the reach must count a class whose
method skips as a reaching name, or pruning hides the very skips the resolver now follows.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guards.collect.python import skip_sets
from guards.collect.python.sources import reach, revision
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import ScratchRepo, guards_cli, pr_repo

HELPERS = """import pytest


class Base:
    @staticmethod
    def require_gpu():
        pytest.skip("no gpu")


class Env(Base):
    @classmethod
    def require_net(cls):
        cls.require_gpu()

    def plain(self):
        self.require_gpu()

    class Inner:
        @staticmethod
        def deep():
            pytest.xfail("deep")


class Harmless:
    @staticmethod
    def fine():
        return 1


def needs():
    Env.require_gpu()


env = Env()
check = Env.require_gpu
"""
TESTS = """import pytest
from tests.helpers import Env, Harmless, env, check, needs
from tests.more import Renamed, h
from tests.envs import Door


class Local:
    @staticmethod
    def skipper():
        pytest.skip("local")


def test_nested(): Env.Inner.deep()
def test_inherited(): Env.require_gpu()
def test_classmethod(): Env.require_net()
def test_fresh_instance(): Env().plain()
def test_module_instance(): env.require_net()
def test_alias(): check()
def test_helper_function(): needs()
def test_renamed(): Renamed.require_gpu()
def test_module_alias(): h.Env().require_net()
def test_local(): Local.skipper()
def test_local_instance(): Local().skipper()
def test_far_base(): Door().open()
def test_harmless(): Harmless.fine()
def test_harmless_instance(): assert Harmless().fine() == 1
"""
TREE = {
    "tests/__init__.py": "",
    "tests/helpers.py": HELPERS,
    "tests/more.py": "from tests.helpers import Env as Renamed\nfrom tests import helpers as h\n",
    "tests/test_a.py": TESTS,
    "lib/__init__.py": "",
    "lib/algebra.py": "class Matrix:\n    def det(self):\n        return 0\n",
    # A base in a module that says no skip word, reaching one through a helper only a later
    # round of the reach knows: its subclass becomes a reaching name a round after it.
    "lib/gates.py": "from tests.helpers import needs\n\n\nclass Gate:\n    def open(self):\n"
    "        needs()\n",
    "tests/envs.py": "from lib.gates import Gate\n\n\nclass Door(Gate):\n    pass\n",
}
SKIPPED = {
    f"tests/test_a.py::test_{name}"
    for name in (
        "nested", "inherited", "classmethod", "fresh_instance", "module_instance", "alias",
        "helper_function", "renamed", "module_alias", "local", "local_instance", "far_base",
    )
}  # fmt: skip # -- packed names read better than one a line


def _repo(tmp_path: Path) -> tuple[Git, str]:
    repo = ScratchRepo(tmp_path / "repo")
    repo.write(TREE)
    return Git(str(repo.path)), repo.commit()


def _listed(path: Path) -> set[str]:
    result = guards_cli("skips", "list", "--repo", str(path), "--format", "json")
    assert result.code == 0, result.stderr
    return {item["test"] for item in result.json()["skipped"]}


def _pytest_skipped(path: Path) -> set[str]:
    """The tests real pytest skips or xfails when it runs PATH's tests (its JUnit report)."""
    report = path / "report.xml"
    run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
    subprocess.run([*run, "tests"], cwd=path, capture_output=True, check=False, timeout=120)
    cases = ET.parse(report).getroot().iter("testcase")
    return {
        f"{c.get('classname', '').replace('.', '/')}.py::{c.get('name')}"
        for c in cases
        if c.find("skipped") is not None
    }


def test_the_listing_names_exactly_what_pytest_skips(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path)
    assert reach.reaching(Revision(git, rev)) is not None  # pruned and prefiltered
    assert _listed(tmp_path / "repo") == SKIPPED
    assert _pytest_skipped(tmp_path / "repo") == SKIPPED


def test_a_class_whose_method_skips_is_a_reaching_name(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path)
    found = reach.reaching(Revision(git, rev))
    assert found is not None
    assert {"Env", "Base", "env", "check", "needs", "Gate", "Door"} <= found.names
    assert found.allows("tests.helpers.Env.Inner.deep")
    assert found.allows("tests.more.Renamed.require_gpu")  # re-exported under another name
    assert not found.allows("tests.helpers.Harmless.fine")
    assert not found.allows("lib.algebra.Matrix.det")


@pytest.mark.parametrize("held", [True, False], ids=["held", "grepped"])
def test_pruning_changes_nothing(
    tmp_path: Path, held: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    git, rev = _repo(tmp_path)
    if not held:
        monkeypatch.setattr(revision, "MAX_HELD_FILES", 0)
    pruned = {t.nodeid for t in skip_sets.skipped(git, rev, ())}
    monkeypatch.setattr(reach.Reach, "allows", lambda self, sym: True)  # prunes nothing
    assert pruned == {t.nodeid for t in skip_sets.skipped(git, rev, ())} == SKIPPED


def test_a_pull_request_touching_only_the_helper_fails_the_guard(tmp_path: Path) -> None:
    quiet = HELPERS.replace('pytest.skip("no gpu")', "return None").replace(
        'pytest.xfail("deep")', "return None"
    )
    base = {**TREE, "tests/helpers.py": quiet}
    _, base_sha, head_sha = pr_repo(tmp_path, base, {"tests/helpers.py": HELPERS})
    result = guards_cli(
        "run", "--repo", str(tmp_path), "--base", base_sha, "--head", head_sha,
        "--only", "skip-set", "--format", "json",
    )  # fmt: skip # -- a packed argument list reads better than one item a line
    assert result.code == 1, result.stderr
    found = {f["test"] for g in result.json()["guards"] for f in g["findings"] if "test" in f}
    assert found == SKIPPED - {
        "tests/test_a.py::test_local",
        "tests/test_a.py::test_local_instance",
    }
