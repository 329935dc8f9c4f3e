"""A decorator that gives no function: ``def broken(func): pass`` returns None, a generator
function a generator, an ``async def`` a coroutine; the name it decorates then holds that, and
pytest does not collect it. Each passed the gate (the decorator was only followed for a skip it
reaches), while real pytest dropped the test."""

from __future__ import annotations

from pathlib import Path

from testing.git_repo import pr_repo, skip_set_failures
from testing.real_pytest import run_pytest
from tests.test_collect_adversarial import agree

HELPERS = """
import functools


def broken(func):
    func.checked = True


def generating(func):
    yield func


async def waiting(func):
    return func


def wrapping(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def keeping(func):
    if func is None:
        return None
    return func


nothing = lambda func: None
"""
TESTS = """
from tests.helpers import broken, generating, keeping, nothing, waiting, wrapping
from tests import helpers


@broken
def test_broken():
    assert True


@helpers.generating
def test_generating():
    assert True


@waiting
def test_waiting():
    assert True


@nothing
def test_nothing():
    assert True


@wrapping
def test_wrapped():
    assert True


@keeping
def test_kept():
    assert True


@broken
class TestGone:
    def test_method(self):
        assert True
"""


def test_a_test_a_decorator_gives_no_function_is_not_collected(tmp_path: Path) -> None:
    files = {"tests/__init__.py": "", "tests/helpers.py": HELPERS, "tests/test_a.py": TESTS}
    runs, kept, absent = agree(tmp_path, files)
    assert runs == {"tests/test_a.py::test_wrapped", "tests/test_a.py::test_kept"}
    assert not kept
    gone = {"broken", "generating", "waiting", "nothing", "TestGone::test_method"}
    assert absent == {f"tests/test_a.py::test_{n}" if "::" not in n else f"tests/test_a.py::{n}"
                      for n in gone}  # fmt: skip # -- one comprehension


def test_a_decorator_that_stops_returning_brings_its_tests_into_scope(tmp_path: Path) -> None:
    """Only the helper changes (``return wrapper`` is dropped): the test it decorates, which
    the change does not touch, is read, and it is no longer collected."""
    base = {"tests/__init__.py": "", "tests/helpers.py": HELPERS, "tests/test_a.py": TESTS}
    head = {"tests/helpers.py": HELPERS.replace("    return wrapper\n", "")}
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, head)
    ran = run_pytest(repo.path, "-q", "tests")
    assert "1 passed" in ran, ran
    assert skip_set_failures(repo, base_sha, head_sha) == {"tests/test_a.py::test_wrapped"}


def test_a_decorator_rebound_through_another_module_is_followed(tmp_path: Path) -> None:
    """``deco`` is bound on both sides of the change (an import from the helpers, another
    function at head): the tests that apply it, which the change does not touch, are read.
    A name bound on one side alone is not followed into the module it comes from (the files
    that use it changed too, or could not import it: dependents._differs)."""
    shared = "from tests.helpers import wrapping as deco\n"
    base = {
        "tests/__init__.py": "",
        "tests/helpers.py": HELPERS,
        "tests/shared.py": shared,
        "tests/test_b.py": "from tests.shared import deco\n\n\n@deco\ndef test_x():\n    pass\n",
    }
    head = {"tests/shared.py": shared.replace("wrapping", "broken")
            + "from tests.helpers import generating as unused\n"}  # fmt: skip # -- one entry
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, head)
    ran = run_pytest(repo.path, "-q", "tests")
    assert "no tests ran" in ran, ran
    assert skip_set_failures(repo, base_sha, head_sha) == {"tests/test_b.py::test_x"}
