"""JUnit XML in every runner's dialect -> ``RunTest`` records.

Dialects seen in the wild (all handled by one reading):

- pytest ``--junitxml``: suite ``pytest``; ``classname`` dotted module + classes; xfail is
  ``<skipped type="pytest.xfail">``; identity is the pytest node id (nodeid.py).
- jest-junit, vitest, mocha-junit-reporter: ``classname`` and ``name`` both carry the full
  title (jest) or the file (vitest); ``file`` attribute optional.
- go-junit-report / gotestsum: suite = package import path, name ``TestX/sub``.
- cargo nextest: suite = binary id, name ``module::test``.
- Maven Surefire / Gradle: classname = Java class, ``<skipped>``, ``<flakyFailure>``.

Outcome: ``<error>`` beats ``<failure>`` beats ``<skipped>``; no child is passed. Identity
elsewhere is ``(file | classname | suite)::name``, where classname is dropped when it merely
repeats the name (jest). Suites nest (some reporters): every ``testsuite`` is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import cast
from xml.etree.ElementTree import Element

from junitparser import Error, Failure, Skipped, TestCase

from guards.collect.reports import nodeid
from guards.collect.reports.model import RunTest


def read(root: Element, source: str, modules: Mapping[str, str]) -> list[RunTest]:
    """Every testcase under ROOT (``testsuites`` or a lone ``testsuite``)."""
    pytest_style = is_pytest(root)
    return [_record(case, suite, source, modules, pytest_style) for suite, case in _cases(root)]


def is_pytest(root: Element) -> bool:
    """pytest's dialect: suite named pytest, pytest.* skip types, or .py file attributes."""
    suites = [root, *root.iter("testsuite")]
    if any(s.get("name") == "pytest" for s in suites):
        return True
    skips = (e.get("type") or "" for e in root.iter("skipped"))
    files = (e.get("file") or "" for e in root.iter("testcase"))
    return any(t.startswith("pytest.") for t in skips) or any(f.endswith(".py") for f in files)


def _cases(root: Element) -> Iterator[tuple[Element, TestCase]]:
    for suite in root.iter("testsuite"):  # ROOT itself when it is a lone testsuite
        for elem in suite.findall("testcase"):
            yield suite, _wrap(elem)


# junitparser leaves fromelem unannotated; it returns the class it is called on
_wrap = cast(Callable[[Element], TestCase], TestCase.fromelem)


def _record(
    case: TestCase, suite: Element, source: str, modules: Mapping[str, str], pytest_style: bool
) -> RunTest:
    elem = case._elem  # junitparser keeps the element; attributes it does not model live there
    name, classname = case.name or "", case.classname or ""
    file = elem.get("file") or ""
    outcome, message = outcome_of(case)
    if pytest_style:
        identity = nodeid.node_id(classname, name, file, modules)
        file = file or identity.partition("::")[0]
    else:
        identity = generic_id(name, classname, file, suite.get("name") or "")
    line = elem.get("line") or "0"
    return RunTest(identity, outcome, message, file, _int(line), name, source)


def generic_id(name: str, classname: str, file: str, suite: str) -> str:
    """``(file | classname | suite)::name``; classname repeating the name is not a scope."""
    scope = classname if classname and classname != name else ""
    return f"{file or scope or suite}::{name}"


def outcome_of(case: TestCase) -> tuple[str, str]:
    """The outcome and the runner's message of one testcase."""
    results = case.result
    for kind, outcome in ((Error, "error"), (Failure, "failed"), (Skipped, "skipped")):
        found = [r for r in results if isinstance(r, kind)]
        if found:
            message = found[0].message or (found[0].text or "").strip()
            if outcome == "skipped" and (found[0].type or "") == "pytest.xfail":
                outcome = "xfailed"
            return outcome, message[:500]
    return "passed", ""


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0
