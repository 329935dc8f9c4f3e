"""The oracle: on the skip corpus, the static collector and real pytest collection agree.

Item for item: the same node ids are collected, each with the same skip kinds a collection-
time check can see (skip/skipif/xfail markers, unittest skip attributes, deselection), and
the same modules are skipped at import. Static kinds pytest cannot see at collection time
(run-time skips, fixtures) are left out of the comparison; tests keyed by function (ids not
static) are compared by function.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from guards.collect.model import TestItem
from guards.collect.python import skip_sets as api
from guards.collect.python.collector import Collector, Request
from guards.collect.python.oracle import pytest_runner
from guards.collect.python.oracle.agreement import VISIBLE
from guards.collect.python.skip_forms import MODULE_SKIP
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo

MODULE_KINDS = frozenset(MODULE_SKIP.values())
CORPUS = Path(__file__).parent / "fixtures" / "skip_corpus"
NOT_COLLECTED = {"not-collected", "ignored", "uncollected"}
Items = dict[str, frozenset[str]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str]:
    files = {
        str(p.relative_to(CORPUS))[: -len(".corpus")]: p.read_text()
        for p in CORPUS.rglob("*.corpus")
    }
    repo = GitRepo(tmp_path_factory.mktemp("corpus"))
    repo.write(files)
    return Git(repo.path), repo.commit("corpus")


@pytest.fixture(scope="module")
def static(corpus: tuple[Git, str]) -> list[TestItem]:
    git, sha = corpus
    files = git.list_files(sha)
    results = Collector(Revision(git, sha, files)).collect(Request(tuple(files)))
    return [t for r in results.values() for t in r.tests]


@pytest.fixture(scope="module")
def real(corpus: tuple[Git, str]) -> list[pytest_runner.PytestItem]:
    return pytest_runner.collect(*corpus)


def static_items(tests: Iterable[TestItem]) -> tuple[Items, set[tuple[str, str]], set[str]]:
    items: Items = {}
    modules: set[tuple[str, str]] = set()
    by_function: set[str] = set()
    for test in tests:
        kinds = {s.kind for s in test.skips}
        if kinds & NOT_COLLECTED:
            continue
        if kinds & MODULE_KINDS:
            modules |= {(test.path, k) for k in kinds & MODULE_KINDS}
            continue
        items[test.nodeid] = frozenset(kinds & VISIBLE)
        if test.by_function:
            by_function.add(test.nodeid)
    return items, modules, by_function


def real_items(found: Iterable[pytest_runner.PytestItem], by_function: set[str]) -> Items:
    items: dict[str, set[str]] = {}
    for item in found:
        if "::" in item.test:
            key = item.test.split("[", 1)[0]
            items.setdefault(key if key in by_function else item.test, set()).update(item.kinds)
    return {k: frozenset(v) for k, v in items.items()}


def test_static_and_pytest_agree_item_for_item(
    static: list[TestItem], real: list[pytest_runner.PytestItem]
) -> None:
    mine, _, by_function = static_items(static)
    theirs = real_items(real, by_function)
    differences = {
        n: (mine.get(n), theirs.get(n))
        for n in set(mine) | set(theirs)
        if mine.get(n) != theirs.get(n)
    }
    assert differences == {}
    assert len(mine) >= 100


def test_module_level_skips_agree(
    static: list[TestItem], real: list[pytest_runner.PytestItem]
) -> None:
    _, my_modules, _ = static_items(static)
    theirs = {(i.test, k) for i in real if "::" not in i.test for k in i.kinds}
    assert my_modules == theirs
    assert {k for _, k in theirs} == {"module-skip", "importorskip"}


def test_every_visible_kind_is_exercised(static: list[TestItem]) -> None:
    mine, _, by_function = static_items(static)
    assert set().union(*mine.values()) == VISIBLE
    assert by_function == {
        "tests/sub/test_deeper.py::TestDeeper::test_dynamic_range",
        "tests/test_fixture_params.py::test_computed_params",  # params=list(range(2))
        *(f"tests/test_enum_ids.py::test_{n}" for n in ("int_enum", "mixed", "alias", "custom")),
    }


def test_literal_fixture_params_expand_node_ids(static: list[TestItem]) -> None:
    """Fixture ids come first (higher scope first), then the test's own parametrize ids."""
    kinds = {t.nodeid: {s.kind for s in t.skips} for t in static}
    base = "tests/test_fixture_params.py::"
    assert {n for n in kinds if n.startswith(base + "test_fixture_then_direct")} == {
        f"{base}test_fixture_then_direct[{f}-{v}]" for f in ("True", "False") for v in (10, 20)
    }
    assert kinds[base + "test_two_fixtures[m2-y-False]"] == {"skip"}
    assert kinds[base + "test_two_fixtures[m1-two-True]"] == set()
    assert kinds[base + "test_marks_from_params[True]"] == {"xfail"}
    assert kinds[base + "TestInClass::test_method[b-False]"] == set()
    assert base + "test_direct_wins[7]" in kinds


def test_members_of_a_plain_enum_are_named_as_pytest_names_them(static: list[TestItem]) -> None:
    kinds = {t.nodeid: {s.kind for s in t.skips} for t in static}
    base = "tests/test_enum_ids.py::"
    assert kinds[base + "test_plain[Color.RED]"] == set()
    assert kinds[base + "test_plain[Shape.SQUARE]"] == {"skip"}
    assert base + "test_enum_ids[Color.BLUE]" in kinds
    assert base + "test_enum_fixture[Color.BLUE]" in kinds


def test_tests_pytest_does_not_collect_are_in_the_skip_set(static: list[TestItem]) -> None:
    kinds = {t.nodeid: {s.kind for s in t.skips} for t in static}
    assert kinds["tests/test_ignored.py::test_in_ignored_file"] == {"ignored"}
    assert kinds["tests/test_dunder.py::TestDisabled::test_hidden"] == {"not-collected"}
    assert kinds["tests/test_dunder.py::test_function_disabled"] == {"not-collected"}
    assert kinds["tests/test_classes.py::TestWithInit::test_never_collected"] == {"not-collected"}


def test_the_fast_listing_finds_the_same_skip_set(
    corpus: tuple[Git, str], static: list[TestItem]
) -> None:
    """``skips list`` reads only files that can hold a skip, and only bodies that can reach one."""
    fast = api.skipped(*corpus, ())
    full = sorted((t for t in static if t.skips), key=lambda t: t.nodeid)
    assert [(t.nodeid, t.skips) for t in fast] == [(t.nodeid, t.skips) for t in full]
