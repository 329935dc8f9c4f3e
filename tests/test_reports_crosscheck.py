"""The cross-check beyond Python: static ids mapped to report identities (pure)."""

from __future__ import annotations

import pytest

from guards.collect.reports.crosscheck import check, expected
from guards.collect.reports.model import RunReport, RunTest


def report(*identities: str) -> RunReport:
    return RunReport({i: RunTest(i, "passed") for i in identities})


@pytest.mark.parametrize(
    ("path", "test", "report_id"),
    [
        ("calc/calc_test.go", "example.com/calc::TestAdd/small", "example.com/calc::TestAdd/small"),
        ("src/lib.rs", "calc tests::adds", "calc::tests::adds"),
        ("tests/api.rs", "app::api api_works", "app::api::api_works"),
        ("src/test/java/a/CalcTest.java", "a.CalcTest::adds", "a.CalcTest::adds"),
        ("src/a.test.ts", "src/a.test.ts > Calc > adds", "src/a.test.ts::Calc > adds"),
        ("calc/calc_test.go", "example.com/calc::BenchmarkAdd", None),  # go test runs none
        ("tests/test_a.py", "tests/test_a.py::test_x", None),  # Python: its own cross-check
        ("spec/calc_spec.rb", "spec/calc_spec.rb::adds", None),  # no collector
    ],
)
def test_the_mapping(path: str, test: str, report_id: str | None) -> None:
    found = expected(path, test)
    assert (found.report_id if found else None) == report_id


def test_a_js_test_keyed_by_its_title_template_is_not_mapped() -> None:
    assert expected("src/a.test.ts", "src/a.test.ts > adds %i", "table is not literal") is None


def test_only_units_a_report_names_are_checked() -> None:
    static = [
        e
        for e in (
            expected("src/lib.rs", "calc tests::adds"),
            expected("src/lib.rs", "calc tests::gone"),
            expected("src/a.test.js", "src/a.test.js > Calc > adds"),
        )
        if e
    ]
    base = report("calc::tests::adds", "Calc::Calc adds")  # jest-junit's default names
    head = report("calc::tests::adds", "Calc::Calc adds")
    crossed = check(static, base, head)
    assert [e.test for e in crossed.missing] == ["calc tests::gone"]
    assert (crossed.checked, dict(crossed.unchecked)) == (2, {"javascript": 1})


def test_a_rust_integration_binary_s_unit_holds_its_own_separator() -> None:
    static = [e for e in (expected("tests/api.rs", "app::api api_works"),) if e]
    crossed = check(static, report("app::api::other"), report("app::api::api_works"))
    assert (crossed.missing, crossed.checked) == ((), 1)


def test_jest_junit_s_top_level_title_and_param_ids_are_seen() -> None:
    static = [
        e
        for e in (
            expected("src/a.test.js", "src/a.test.js > adds"),
            expected("src/test/java/a/T.java", "a.T::sums(int)"),
        )
        if e
    ]
    head = report("src/a.test.js:: > adds", "a.T::sums(int)[1]")
    assert check(static, head, head).missing == ()
