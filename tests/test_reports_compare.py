"""The report comparison and the "is it still defined" decision: pure, tested without git."""

from __future__ import annotations

import pytest

from guards.collect.reports.compare import compare, unseen
from guards.collect.reports.defined import Change, candidates, defined
from guards.collect.reports.model import RunReport, RunTest


def report(**outcomes: str) -> RunReport:
    return RunReport({k: RunTest(k, v, name=k) for k, v in outcomes.items()})


def always(_: RunTest) -> bool:
    return True


def never(_: RunTest) -> bool:
    return False


@pytest.mark.parametrize(
    ("base", "head", "xfail_counts", "grown"),
    [
        ("passed", "skipped", True, ["a"]),
        ("failed", "skipped", True, ["a"]),
        ("error", "xfailed", True, ["a"]),
        ("xpassed", "xfailed", True, ["a"]),
        ("passed", "xfailed", False, []),
        ("skipped", "skipped", True, []),
        ("xfailed", "skipped", True, []),
        ("passed", "failed", True, []),
        ("skipped", "passed", True, []),
    ],
)
def test_grown(base: str, head: str, xfail_counts: bool, grown: list[str]) -> None:
    verdict = compare(report(a=base), report(a=head), always, {}, xfail_counts)
    assert [g.head.test for g in verdict.grown] == grown


def test_absent_at_head_is_vanished_or_removed_by_the_definition() -> None:
    base, head = report(a="passed", b="passed", c="skipped"), report()
    kept = compare(base, head, always, {}, True)
    assert [t.test for t in kept.vanished] == ["a", "b"]
    gone = compare(base, head, never, {}, True)
    assert [t.test for t in gone.removed] == ["a", "b"] and not gone.vanished


def test_renames_apply_to_base_identities() -> None:
    base = report(**{"old/t.py::x": "passed"})
    head = report(**{"new/t.py::x": "skipped"})
    verdict = compare(base, head, never, {"old/t.py": "new/t.py"}, True)
    assert [g.base.test for g in verdict.grown] == ["old/t.py::x"]


def test_unseen_is_what_the_static_witness_runs_and_the_report_lacks() -> None:
    head = report(**{"t.py::a": "passed", "t.py::p[1]": "passed"})
    assert unseen(["t.py::a", "t.py::b", "t.py::p", "t.py::p[2]"], head) == ("t.py::b",)


def change(old: str | None, new: str | None, before: str | None, after: str | None) -> Change:
    return Change(old, new, before, after)


@pytest.mark.parametrize(
    ("test", "changes", "expected"),
    [
        # its file is untouched: still defined
        (RunTest("a.py::t", "passed", file="a.py", name="t"), [], True),
        # its file is deleted
        (RunTest("a.py::t_x", "passed", file="a.py", name="t_x"),
         [change("a.py", None, "def t_x(): pass", None)], False),
        # its name no longer occurs in its file
        (RunTest("a.py::t_x", "passed", file="a.py", name="t_x"),
         [change("a.py", "a.py", "def t_x(): pass", "def t_y(): pass")], False),
        # a longer name containing it does not count as the name
        (RunTest("a.py::t_x", "passed", file="a.py", name="t_x"),
         [change("a.py", "a.py", "def t_x(): pass", "def t_x2(): pass")], False),
        # jest full title: the longest piece found at base decides
        (RunTest("Calc::Calc adds two", "passed", name="Calc adds two"),
         [change("c.test.js", "c.test.js", 'it("adds two")', 'it.skip("adds two")')], True),
        (RunTest("Calc::Calc adds two", "passed", name="Calc adds two"),
         [change("c.test.js", "c.test.js", 'it("adds two")', 'it("other")')], False),
        # go subtest: the function name is a piece
        (RunTest("p::TestA/sub_x", "passed", name="TestA/sub_x"),
         [change("a_test.go", "a_test.go", "func TestA(t)", "//go:build x\nfunc TestA(t)")], True),
        # no changed file ever held the name: untouched, still defined
        (RunTest("k::adds", "passed", name="adds"),
         [change("README.md", "README.md", "x", "y")], True),
    ],
)  # fmt: skip # -- a packed call reads better here
def test_defined_from_the_diff(test: RunTest, changes: list[Change], expected: bool) -> None:
    assert defined(test, changes) is expected


def test_candidates_longest_first() -> None:
    pieces = candidates(RunTest("s::Calc > adds two", "passed", name="Calc > adds two"))
    assert pieces[0] == "Calc > adds two"
    assert "adds two" in pieces and "Calc" in pieces
