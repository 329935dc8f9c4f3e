"""A name bound to a lambda is a function, and ``functools.partial(f, ...)`` calls ``f``: each
of these passed the gate (a helper module's ``later = functools.partial(pytest.skip, "x")``
or ``now = lambda: pytest.skip()``, a test class's ``test_m = lambda self: ...``), while real
pytest skipped the test, or collected a test the static collector never listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect.model import Undecidable
from testing.git_repo import guards_cli, pr_repo, skip_set_failures
from testing.real_pytest import run_pytest
from tests.test_collect_adversarial import agree, build, static_items

CALLS = """
from tests.helpers import later, now


def test_later():
    later()


def test_now():
    now()


def test_plain():
    assert True
"""
HARMLESS = 'import functools\n\nlater = functools.partial(print, "x")\nnow = lambda: print("x")\n'
SKIPPING = (
    "import functools\n\nimport pytest\n\n"
    'later = functools.partial(pytest.skip, "later")\n'
    'now = lambda: pytest.skip("now")\n'
)


def test_helpers_bound_by_partial_or_lambda_skip_as_pytest_does(tmp_path: Path) -> None:
    files = {"tests/__init__.py": "", "tests/helpers.py": SKIPPING, "tests/test_a.py": CALLS}
    runs, kept, _ = agree(tmp_path, files)
    assert runs == {"tests/test_a.py::test_plain"}
    assert kept == {"tests/test_a.py::test_later", "tests/test_a.py::test_now"}


def test_a_helper_that_starts_to_skip_brings_its_callers_into_scope(tmp_path: Path) -> None:
    """Only the helper changes: the tests that call it are read, and both are newly skipped."""
    base = {"tests/__init__.py": "", "tests/helpers.py": HARMLESS, "tests/test_a.py": CALLS}
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, {"tests/helpers.py": SKIPPING})
    assert "2 skipped" in run_pytest(repo.path, "-q", "tests")
    assert skip_set_failures(repo, base_sha, head_sha) == {
        "tests/test_a.py::test_later",
        "tests/test_a.py::test_now",
    }


LAMBDA_TESTS = """
import functools

import pytest

skip_now = lambda: pytest.skip("now")
test_module_lambda = lambda: None
test_module_skipped = lambda: skip_now()
later = functools.partial(pytest.skip, "partial")
test_partial_skip = lambda: later()


class TestLambdas:
    test_method = lambda self: None
    test_method_skips = lambda self: pytest.skip("inside")


if False:
    test_never = lambda: None
"""


def test_lambdas_pytest_collects_are_tests(tmp_path: Path) -> None:
    """pytest collects a lambda bound to a test name (module or class) as a test, and one
    under a false condition never."""
    runs, kept, absent = agree(tmp_path, {"tests/test_l.py": LAMBDA_TESTS})
    assert runs == {
        "tests/test_l.py::test_module_lambda",
        "tests/test_l.py::TestLambdas::test_method",
    }
    assert kept == {
        "tests/test_l.py::test_module_skipped",
        "tests/test_l.py::test_partial_skip",
        "tests/test_l.py::TestLambdas::test_method_skips",
    }
    assert "tests/test_l.py::test_never" not in runs | kept | absent


def test_a_lambda_bound_to_two_names_is_no_definition(tmp_path: Path) -> None:
    """Only one name bound to one lambda is a def; a chain of targets is read as a value: a
    skip in it, at import time, is undecidable as before (a container of lambdas is data, read
    where it is used, as a container of marks is)."""
    module = "import pytest\n\nA = B = lambda: pytest.skip()\n\n\ndef test_a():\n    A()\n"
    tree, sha = build(tmp_path, {"tests/test_a.py": module})
    with pytest.raises(Undecidable, match="at import time"):
        static_items(tree, sha)


def test_a_listing_reads_the_lambdas_its_prefilter_never_sees(tmp_path: Path) -> None:
    """A whole tree's listing reads only the bodies its words can lead to a skip (prefilter,
    lazy bodies): the def a lambda stands for is in no tree, so it is always read."""
    repo, _, head = pr_repo(tmp_path / "repo", {"tests/test_l.py": LAMBDA_TESTS}, {})
    result = guards_cli("skips", "list", "--rev", head, "--format", "json", cwd=repo.path)
    assert result.code == 0, result.stderr
    listed = {t["test"] for t in result.json()["skipped"]}
    assert listed == {
        "tests/test_l.py::test_module_skipped",
        "tests/test_l.py::test_partial_skip",
        "tests/test_l.py::TestLambdas::test_method_skips",
    }
