"""Records of a test-run report: one ``RunTest`` per test, one ``RunReport`` per side.

Outcomes are the six pytest knows (``passed failed error skipped xfailed xpassed``); every
JUnit dialect maps onto them. ``RAN`` are the outcomes of a test whose body ran.

A side's reports may come from several matrix entries (one artifact or folder per entry):
``entries`` holds each entry's tests, ``tests`` all of them merged; a side read from one
place has the single entry ``""``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from typing import Any, ClassVar

from guards.core import shallow_json, shapes
from guards.core.records import record
from guards.errors import GuardsError

RAN = frozenset({"passed", "failed", "error", "xpassed"})
NOT_RUN = frozenset({"skipped", "xfailed"})
OUTCOMES = RAN | NOT_RUN
# Which attempt of a duplicated test stands for it: the first outcome in this order wins.
PRECEDENCE = ("passed", "xpassed", "failed", "error", "xfailed", "skipped")


@record
class RunTest:
    """One test as a runner reported it."""

    __test__: ClassVar[bool] = False  # a record, not a test class for pytest

    test: str  # identity: a pytest node id, else (file | suite | classname) + "::" + full name
    outcome: str
    message: str = ""  # the runner's skip/xfail/failure message
    file: str = ""
    line: int = 0
    name: str = ""  # the test's own name (leaf), to look for its definition
    source: str = ""  # the report file it came from

    @property
    def ran(self) -> bool:
        return self.outcome in RAN


@record
class RunReport:
    """The tests of one side's report(s), by identity."""

    tests: Mapping[str, RunTest] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    entries: Mapping[str, Mapping[str, RunTest]] = field(default_factory=dict)  # matrix entries

    @property
    def ran(self) -> dict[str, RunTest]:
        return {k: t for k, t in self.tests.items() if t.ran}


def merge(tests: Iterable[RunTest]) -> dict[str, RunTest]:
    """One record per identity: a test ran when any attempt ran (retries, matrix merges)."""
    out: dict[str, RunTest] = {}
    for test in tests:
        kept = out.get(test.test)
        if kept is None or _rank(test) < _rank(kept):
            out[test.test] = test
    return out


def _rank(test: RunTest) -> int:
    return PRECEDENCE.index(test.outcome)


def json_line(raw: bytes, source: str, number: int) -> dict[str, Any]:
    """Line NUMBER of a JSON-lines report (pytest report-log, go test -json) as an object;
    anything else is a GuardsError naming the report and the line."""
    try:
        event = shallow_json.loads(raw)
    except ValueError as exc:
        raise GuardsError(f"test report {source}: line {number} is not JSON: {exc}") from exc
    if not isinstance(event, dict):
        raise GuardsError(f"test report {source}: line {number} is not a JSON object")
    return event


def member(event: dict[str, Any], key: str, kinds: type | tuple[type, ...], where: str) -> Any:
    """EVENT's KEY where it is one of KINDS or absent (None); anything else is a GuardsError
    naming WHERE (the report and the line): no runner writes it, so the report is not one."""
    value = event.get(key)
    if value is not None and not isinstance(value, kinds):
        raise GuardsError(
            f"test report {where}: {key} is {shapes.kind(value)}, which no runner writes"
        )
    return value
