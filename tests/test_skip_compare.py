"""The set algebra of the guard: newly skipped, born skipped, moved, hidden, removed (pure)."""

from __future__ import annotations

from guards.collect.compare import Comparison, Side, compare, rename_id
from guards.collect.model import Def, Skip, TestItem

SKIP = Skip("skip", 3, "@pytest.mark.skip")
XFAIL = Skip("xfail", 3, "@pytest.mark.xfail")


def item(nodeid: str, *skips: Skip, by_function: str = "") -> TestItem:
    return TestItem(nodeid, nodeid.split("::")[0], 4, skips, by_function=by_function)


def side(*tests: TestItem, **kw: object) -> Side:
    result = Side(tests={t.nodeid: t for t in tests})
    for key, value in kw.items():
        getattr(result, key).update(value)
    return result


def run(
    base: Side, head: Side, renames: dict[str, str] | None = None, xfail: bool = True
) -> Comparison:
    return compare(base, head, renames or {}, xfail)


def ids(verdict: Comparison) -> set[str]:
    return {g.test.nodeid for g in verdict.grown}


def test_newly_skipped_and_born_skipped() -> None:
    base = side(item("t.py::a"), item("t.py::b", SKIP))
    head = side(item("t.py::a", SKIP), item("t.py::b", SKIP), item("t.py::c", SKIP))
    verdict = run(base, head)
    assert {(g.test.nodeid, g.born) for g in verdict.grown} == {
        ("t.py::a", False),
        ("t.py::c", True),
    }


def test_a_changed_kind_or_reason_is_not_growth() -> None:
    base = side(item("t.py::a", SKIP))
    head = side(item("t.py::a", Skip("skipif", 9, "other reason")))
    assert not run(base, head).grown


def test_xfail_counts_only_when_configured() -> None:
    base, head = side(item("t.py::a")), side(item("t.py::a", XFAIL))
    assert ids(run(base, head)) == {"t.py::a"}
    assert not run(base, head, xfail=False).grown


def test_renamed_files_are_followed() -> None:
    base, head = side(item("old.py::a", SKIP)), side(item("new.py::a", SKIP))
    assert not run(base, head, {"old.py": "new.py"}).grown
    assert rename_id("old.py::K::a[1]", {"old.py": "new.py"}) == "new.py::K::a[1]"


def test_a_skipped_test_moved_to_another_file_is_the_same_test() -> None:
    base = side(item("a.py::K::t", SKIP), item("b.py::other"))
    head = side(item("b.py::other"), item("b.py::K::t", SKIP))
    assert not run(base, head).grown


def test_removed_tests_and_removed_skipped_tests() -> None:
    base = side(item("t.py::a"), item("t.py::b", SKIP))
    verdict = run(base, side())
    assert [t.nodeid for t in verdict.removed] == ["t.py::a"]
    assert not verdict.grown


def test_a_test_hidden_while_its_definition_remains_is_not_removed() -> None:
    base = side(item("t.py::test_a"))
    head = side(defs={"t.py": (Def("helper.test_a", "test_a", 7),)})
    verdict = run(base, head)
    assert ids(verdict) == {"t.py::test_a"} and not verdict.removed
    assert "helper.test_a" in verdict.grown[0].skip.detail


def test_a_renamed_test_with_the_same_body_is_found() -> None:
    base = side(item("t.py::test_a"), defs={"t.py": (Def("test_a", "test_a", 4, "k1"),)})
    head = side(defs={"t.py": (Def("verify", "verify", 4, "k1"),)})
    assert "renamed to verify" in run(base, head).grown[0].skip.detail


def test_a_deleted_test_is_not_renamed_to_a_definition_the_base_held() -> None:
    """flask: test_session deleted beside the fixture ``app_session`` and a helper nested in a
    running test, ``test_fallbacks.set_session``: both were there already, so it is removed."""
    held = (
        Def("app_session", "app_session", 2),
        Def("test_fallbacks.set_session", "set_session", 9),
    )
    base = side(
        item("t.py::test_session"), defs={"t.py": (Def("test_session", "test_session", 5), *held)}
    )
    head = side(item("t.py::test_fallbacks"), defs={"t.py": held})
    verdict = run(base, head)
    assert not verdict.grown
    assert [t.nodeid for t in verdict.removed] == ["t.py::test_session"]


def test_a_test_renamed_to_a_new_nested_helper_is_found() -> None:
    base = side(
        item("t.py::test_session"), defs={"t.py": (Def("test_session", "test_session", 5),)}
    )
    head = side(
        item("t.py::test_other"),
        defs={"t.py": (Def("test_other.check_session", "check_session", 2),)},
    )
    assert "renamed to test_other.check_session" in run(base, head).grown[0].skip.detail


def test_dormant_tests_say_why_the_file_is_not_collected() -> None:
    base = side(item("t.py::a"))
    head = side(
        dormant={"t.py::a": item("t.py::a")}, excluded={"t.py": "does not match python_files"}
    )
    assert "does not match python_files" in run(base, head).grown[0].skip.detail


def test_parameter_changes_and_function_keys() -> None:
    base = side(item("t.py::a[1]"), item("t.py::a[2]"), item("t.py::b", by_function="range()"))
    head = side(item("t.py::a[1]"), item("t.py::b[0]"), item("t.py::b[1]", SKIP))
    verdict = run(base, head)
    assert [t.nodeid for t in verdict.removed] == ["t.py::a[2]"]
    assert ids(verdict) == {"t.py::b[1]"}
