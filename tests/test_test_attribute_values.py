"""``__test__`` set to a name: pytest reads the value the name holds when it collects, so a
change that flips ``ENABLED = True`` to ``False`` drops the class's tests (this passed the
gate: only a literal ``__test__ = False`` was read). A name the module binds once, to a
literal nothing changes, is read as that literal; any other value is undecidable."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect.model import Undecidable
from testing.git_repo import pr_repo, skip_set_failures
from testing.real_pytest import run_pytest
from tests.test_collect_adversarial import agree, build, static_items

FLAGGED = """
ENABLED = {value}


class TestLogin:
    __test__ = ENABLED

    def test_login(self):
        assert True


def test_logout():
    assert True


test_logout.__test__ = ENABLED
"""


@pytest.mark.parametrize("value", ["True", "False"])
def test_a_constant_read_as_test_is_its_literal(tmp_path: Path, value: str) -> None:
    runs, _, absent = agree(tmp_path, {"tests/test_a.py": FLAGGED.format(value=value)})
    both = {"tests/test_a.py::TestLogin::test_login", "tests/test_a.py::test_logout"}
    assert (runs, absent) == ((both, set()) if value == "True" else (set(), both))


def test_flipping_the_constant_fails_the_gate(tmp_path: Path) -> None:
    base = {"tests/test_a.py": FLAGGED.format(value="True")}
    head = {"tests/test_a.py": FLAGGED.format(value="False")}
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, head)
    assert "no tests ran" in run_pytest(repo.path, "-q", "tests")
    assert skip_set_failures(repo, base_sha, head_sha) == {
        "tests/test_a.py::TestLogin::test_login",
        "tests/test_a.py::test_logout",
    }


TWICE = """
ENABLED = False


class TestLogin:
    __test__ = ENABLED

    def test_login(self):
        assert True


ENABLED = True
"""
ELSEWHERE = """
from tests.flags import ENABLED


class TestLogin:
    __test__ = ENABLED

    def test_login(self):
        assert True
"""
CHANGED = """
ENABLED = [True]
ENABLED.pop()


class TestLogin:
    __test__ = bool(ENABLED)

    def test_login(self):
        assert True
"""


@pytest.mark.parametrize("source", [TWICE, ELSEWHERE, CHANGED], ids=["twice", "imported", "call"])
def test_any_other_value_is_undecidable(tmp_path: Path, source: str) -> None:
    """Bound twice (the class saw False, the last binding says True), imported (another
    module may set it), or computed: pytest's reading is not known."""
    files = {"tests/__init__.py": "", "tests/flags.py": "ENABLED = False\n"}
    tree, sha = build(tmp_path, {**files, "tests/test_a.py": source})
    with pytest.raises(Undecidable, match="__test__ is set to a computed value"):
        static_items(tree, sha)
