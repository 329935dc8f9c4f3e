"""A listing links only the tests that can have a skip, and lists what linking them all lists.

Where only skipped tests are wanted and no stage after linking can add a skip (a conftest hook,
a package's skip at import, a selection: select.may_add_skips), the linker leaves out a test
with no skip whose parametrizations can give none of its cases one (link.Linker, skipped_only).
Each case below is linked both ways: the tests with a skip are the same, and the left-out ones
are tests without.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from guards.collect.model import TestItem
from guards.collect.python.config.pytest_config import PytestConfig
from guards.collect.python.linking import select
from guards.collect.python.linking.link import Linker
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.cases import may_skip_a_case
from guards.collect.python.parsing.facts import MarkUse, Params
from guards.collect.python.skip_sets import skipped
from guards.core.git import Git
from testing.git_repo import GitRepo
from tests.collect_support import Memory

PLAIN = "def test_a():\n    pass\n\n\ndef test_b(tmp_path):\n    assert tmp_path\n"
CASES = {
    "a marked test beside plain ones": PLAIN + "\n\n@pytest.mark.skip\ndef test_c():\n    pass\n",
    "a skipped case of a parametrize mark": PLAIN
    + "\n\n@pytest.mark.parametrize('x', [1, pytest.param(2, marks=pytest.mark.skip)])\n"
    "def test_c(x):\n    pass\n",
    "an empty parametrize list": PLAIN
    + "\n\n@pytest.mark.parametrize('x', [])\ndef test_c(x):\n    pass\n",
    "a parametrized fixture with a skipped case": PLAIN
    + "\n\n@pytest.fixture(params=[1, pytest.param(2, marks=pytest.mark.xfail)])\n"
    "def num(request):\n    return request.param\n\n\ndef test_c(num):\n    pass\n",
    "a parametrized fixture with no case": PLAIN
    + "\n\n@pytest.fixture(params=[])\ndef num(request):\n    return request.param\n\n\n"
    "def test_c(num):\n    pass\n",
    "a class fixture's skipped case": PLAIN
    + "\n\nclass TestK:\n    @pytest.fixture(params=[pytest.param(0, marks=pytest.mark.skip)])\n"
    "    def n(self, request):\n        return request.param\n\n"
    "    def test_k(self, n):\n        pass\n\n    def test_plain(self):\n        pass\n",
    "a fixture that skips": PLAIN
    + "\n\n@pytest.fixture\ndef gpu():\n    pytest.skip('no gpu')\n\n\n"
    "@pytest.mark.parametrize('x', [1, 2])\ndef test_c(gpu, x):\n    pass\n",
    "a marked class": PLAIN + "\n\n@pytest.mark.xfail\nclass TestK:\n    def test_k(self):\n"
    "        pass\n",
}


def _linked(source: str, skipped_only: bool) -> list[TestItem]:
    module = analyze("tests/test_x.py", ("import pytest\n\n\n" + source).encode())
    linker = Linker(module, PytestConfig(), Resolver(Memory()), [], skipped_only)
    return linker.items()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_tests_with_a_skip_are_the_same_either_way(case: str) -> None:
    every, only = _linked(CASES[case], False), _linked(CASES[case], True)
    with_skip = [t for t in every if t.skips]
    assert with_skip, "each case has a skipped test"
    assert [t for t in only if t.skips] == with_skip
    plain = [t for t in only if t.nodeid.endswith(("::test_a", "::test_b"))]
    # a module's fixture with a case that may skip is one any test of it may use: each is
    # linked then; a class's is seen from its class only
    assert len(plain) == (2 if "parametrized fixture with" in case else 0)


def test_a_case_may_skip_by_its_marks_or_an_empty_list() -> None:
    skip = (MarkUse("skip", 3),)
    assert not may_skip_a_case([Params(("x",), ("1", "2")), Params(("y",), None)])
    assert not may_skip_a_case([Params(("x",), ("1", "2"), ((), ()))])
    assert may_skip_a_case([Params(("x",), ("1", "2"), ((), skip))])
    assert may_skip_a_case([Params(("x",), ("NOTSET",))])


LISTED = {
    "tests/conftest.py": "",
    "tests/test_a.py": textwrap.dedent("""\
        import pytest


        def test_plain():
            pass


        @pytest.mark.slow
        def test_slow():
            pass


        @pytest.mark.skip(reason="r")
        def test_marked():
            pass
        """),
}
HOOK = textwrap.dedent("""\
    import pytest


    def pytest_collection_modifyitems(config, items):
        for item in items:
            if "slow" in item.keywords:
                item.add_marker(pytest.mark.skip(reason="slow"))
    """)
AFTER_LINKING = {
    "a conftest hook": ({"tests/conftest.py": HOOK}, {"test_slow", "test_marked"}),
    "a selection in addopts": (
        {"pytest.ini": "[pytest]\naddopts = -m 'not slow'\nmarkers = slow\n"},
        {"test_slow", "test_marked"},
    ),
    "a package's skip at import": (
        {"tests/__init__.py": "import pytest\n\npytest.importorskip('numpy')\n"},
        {"test_plain", "test_slow", "test_marked"},
    ),
    "an ignore list": (
        {"tests/conftest.py": "collect_ignore = ['test_a.py']\n"},
        {"test_plain", "test_slow", "test_marked"},
    ),
    "nothing after linking": ({}, {"test_marked"}),
}


@pytest.mark.parametrize("case", sorted(AFTER_LINKING))
def test_a_skip_added_after_linking_still_lists_its_tests(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, expected = AFTER_LINKING[case]
    repo = GitRepo(tmp_path)
    repo.write({**LISTED, **files})
    sha = repo.commit(case)
    listed = skipped(Git(tmp_path), sha, ())
    assert {t.nodeid.rsplit("::", 1)[1] for t in listed} == expected
    monkeypatch.setattr(select, "may_add_skips", lambda *_: True)  # every test linked
    assert skipped(Git(tmp_path), sha, ()) == listed
