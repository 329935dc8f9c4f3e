"""Reading test-run reports: every JUnit dialect, pytest report-log, and the safety bounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect.reports import load, safexml
from guards.collect.reports.model import RunTest, merge
from guards.collect.reports.nodeid import dotted_files, node_id
from guards.collect.reports.reading import parse
from guards.errors import GuardsError

MODULES = dotted_files(["tests/test_a.py", "tests/v1.2/test_b.py", "pkg/test_c.py"])


def outcomes(xml: str) -> dict[str, tuple[str, str]]:
    return {t.test: (t.outcome, t.message) for t in parse(xml.encode(), "r.xml", MODULES)}


@pytest.mark.parametrize(
    ("classname", "name", "file", "expected"),
    [
        ("tests.test_a", "test_x", "", "tests/test_a.py::test_x"),
        ("tests.test_a.TestK", "test_x[1-a.b]", "", "tests/test_a.py::TestK::test_x[1-a.b]"),
        ("tests.test_a.TestK.Inner", "test_y", "", "tests/test_a.py::TestK::Inner::test_y"),
        ("tests.v1.2.test_b", "test_z[c::d]", "", "tests/v1.2/test_b.py::test_z[c::d]"),
        ("tests.test_a.lower", "test_q", "", "tests/test_a.py::lower::test_q"),
        ("other.test_m.TestZ", "test_w", "", "other/test_m.py::TestZ::test_w"),
        ("x.test_f", "test_v", "x/test_f.py", "x/test_f.py::test_v"),
        ("test_c.TestR", "test_u", "", "pkg/test_c.py::TestR::test_u"),  # rootdir was pkg/
    ],
)
def test_pytest_classname_and_name_become_the_node_id(
    classname: str, name: str, file: str, expected: str
) -> None:
    assert node_id(classname, name, file, MODULES) == expected


PYTEST = """<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">
<testsuite name="pytest" tests="5">
<testcase classname="tests.test_a" name="test_p"/>
<testcase classname="tests.test_a" name="test_f"><failure message="assert 0"/></testcase>
<testcase classname="tests.test_a" name="test_e"><error message="fixture"/><failure/></testcase>
<testcase classname="tests.test_a" name="test_s">
<skipped type="pytest.skip" message="later"/></testcase>
<testcase classname="tests.test_a" name="test_x">
<skipped type="pytest.xfail" message="bug"/></testcase>
</testsuite></testsuites>"""


def test_pytest_dialect_outcomes() -> None:
    assert outcomes(PYTEST) == {
        "tests/test_a.py::test_p": ("passed", ""),
        "tests/test_a.py::test_f": ("failed", "assert 0"),
        "tests/test_a.py::test_e": ("error", "fixture"),
        "tests/test_a.py::test_s": ("skipped", "later"),
        "tests/test_a.py::test_x": ("xfailed", "bug"),
    }


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (  # jest-junit: classname repeats the full title
            '<testsuites name="jest tests"><testsuite name="Calc"><testcase classname="Calc adds" '
            'name="Calc adds"><skipped/></testcase></testsuite></testsuites>',
            {"Calc::Calc adds": ("skipped", "")},
        ),
        (  # vitest: classname is the file
            '<testsuites name="vitest tests"><testsuite name="src/a.test.ts"><testcase '
            'classname="src/a.test.ts" name="A &gt; b"/></testsuite></testsuites>',
            {"src/a.test.ts::A > b": ("passed", "")},
        ),
        (  # go-junit-report: suite is the package
            '<testsuites><testsuite name="example.com/x"><testcase classname="x" name="TestA/sub">'
            '<skipped message="a_test.go:9: slow"/></testcase></testsuite></testsuites>',
            {"x::TestA/sub": ("skipped", "a_test.go:9: slow")},
        ),
        (  # cargo nextest
            '<testsuites name="nextest-run"><testsuite name="calc"><testcase classname="calc" '
            'name="tests::adds"><failure type="test failure"/></testcase></testsuite></testsuites>',
            {"calc::tests::adds": ("failed", "")},
        ),
        (  # Maven Surefire: a lone testsuite root, flakyFailure is a pass
            '<testsuite name="com.x.CalcTest"><testcase classname="com.x.CalcTest" name="adds">'
            '<flakyFailure message="once"/></testcase><testcase classname="com.x.CalcTest" '
            'name="divides"><skipped message="@Disabled"/></testcase></testsuite>',
            {
                "com.x.CalcTest::adds": ("passed", ""),
                "com.x.CalcTest::divides": ("skipped", "@Disabled"),
            },
        ),
        (  # nested suites (some reporters): every level is read
            '<testsuites><testsuite name="outer"><testsuite name="inner"><testcase name="t" '
            'classname="K"/></testsuite></testsuite></testsuites>',
            {"K::t": ("passed", "")},
        ),
    ],
)
def test_other_dialects(xml: str, expected: dict[str, tuple[str, str]]) -> None:
    assert outcomes(xml) == expected


REPORT_LOG = b"""{"pytest_version": "9", "$report_type": "SessionStart"}
{"nodeid": "t.py::a", "location": ["t.py", 2, "a"], "when": "setup", "outcome": "passed", "$report_type": "TestReport"}
{"nodeid": "t.py::a", "location": ["t.py", 2, "a"], "when": "call", "outcome": "passed", "$report_type": "TestReport"}
{"nodeid": "t.py::b", "location": ["t.py", 5, "b"], "when": "setup", "outcome": "skipped", "longrepr": ["t.py", 6, "Skipped: no db"], "$report_type": "TestReport"}
{"nodeid": "t.py::c", "location": ["t.py", 8, "c"], "when": "call", "outcome": "skipped", "wasxfail": "bug 1", "$report_type": "TestReport"}
{"nodeid": "t.py::d", "location": ["t.py", 9, "d"], "when": "call", "outcome": "passed", "wasxfail": "", "$report_type": "TestReport"}
{"nodeid": "t.py::e", "location": ["t.py", 9, "e"], "when": "setup", "outcome": "failed", "$report_type": "TestReport"}
{"nodeid": "t.py::f", "location": ["t.py", 9, "f"], "when": "call", "outcome": "failed", "$report_type": "TestReport"}
"""  # noqa: E501 -- report-log lines are long JSON records, kept whole


def test_report_log_outcomes_lines_and_messages() -> None:
    tests = {t.test: t for t in parse(REPORT_LOG, "r.jsonl", {})}
    assert {k: t.outcome for k, t in tests.items()} == {
        "t.py::a": "passed",
        "t.py::b": "skipped",
        "t.py::c": "xfailed",
        "t.py::d": "xpassed",
        "t.py::e": "error",
        "t.py::f": "failed",
    }
    assert (tests["t.py::b"].message, tests["t.py::b"].line, tests["t.py::a"].file) == (
        "Skipped: no db",
        6,
        "t.py",
    )
    assert tests["t.py::c"].message == "bug 1"


def test_duplicates_count_once_and_any_run_wins() -> None:
    def t(outcome: str) -> RunTest:
        return RunTest("x::y", outcome)

    assert merge([t("skipped"), t("failed"), t("passed")])["x::y"].outcome == "passed"
    assert merge([t("skipped"), t("error")])["x::y"].outcome == "error"
    assert merge([t("skipped"), t("xfailed")])["x::y"].outcome == "xfailed"


BAD = [
    ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><testsuites>&a;</testsuites>', "DTD"),
    (
        '<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite>&x;</testsuite>',
        "DTD",
    ),
    ("<testsuites><testsuite>", "not a readable XML report"),
    ("<html><body/></html>", "<html> is not a JUnit XML report"),
    ("plain text", "neither JUnit XML"),
    ("", "neither JUnit XML"),
    ('{"nodeid": 1}\nnot json\n', "line 2 is not JSON"),
    ("[1, 2]", "neither JUnit XML"),
    ("<testsuites>" + "<testsuite>" * 100 + "</testsuite>" * 100 + "</testsuites>", "deeper"),
    # fields in a shape no runner writes (a run can write its own report: it is input)
    ('{"Action": "run", "Test": "T"}\n{"Action": ["skip"], "Test": "T"}\n', "line 2: Action"),
    (
        '{"$report_type": "TestReport", "nodeid": "t.py::a", "location": 3}\n',
        "line 1: location is a number",
    ),
]


@pytest.mark.parametrize(("text", "why"), BAD)
def test_unsafe_or_unparsable_reports_are_errors_naming_the_file(text: str, why: str) -> None:
    with pytest.raises(GuardsError) as info:
        parse(text.encode(), "reports/head.xml", {})
    assert "reports/head.xml" in str(info.value)
    assert why in str(info.value)


def test_size_is_bounded_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.xml"
    big.write_text("<testsuites>" + " " * 200 + "</testsuites>")
    monkeypatch.setattr("guards.collect.reports.reading.MAX_BYTES", 100)
    with pytest.raises(GuardsError, match=r"big\.xml is \d+ bytes; the limit is 100"):
        load([str(big)])


def test_globs_expand_and_a_pattern_matching_nothing_is_an_error(tmp_path: Path) -> None:
    for n in ("a", "b"):
        xml = f'<testsuite name="s"><testcase classname="K" name="{n}"/></testsuite>'
        (tmp_path / f"junit-{n}.xml").write_text(xml)
    report = load([str(tmp_path / "junit-*.xml")])
    assert sorted(report.tests) == ["K::a", "K::b"]
    assert len(report.sources) == 2
    with pytest.raises(GuardsError, match="matches no file"):
        load([str(tmp_path / "none-*.xml")])


def test_depth_limit_is_counted_while_streaming() -> None:
    ok = "<testsuites>" + "<testsuite>" * 10 + "</testsuite>" * 10 + "</testsuites>"
    assert safexml.parse(ok.encode(), "x").tag == "testsuites"
