"""``go test -json`` event lines -> ``RunTest`` records (identity ``package::Test/sub``).

The same identity gotestsum and go-junit-report give (suite = package, name = test), so a
JUnit report at base and a JSON stream at head still compare. A test's final action
(``pass``, ``fail``, ``skip``) is its outcome; its ``output`` lines other than the ``=== RUN``
and ``--- PASS/FAIL/SKIP`` banners are the message (``calc_test.go:8: slow``). Package-level
events (no ``Test``) are not tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from guards.collect.reports.model import RunTest, json_line, member
from guards.core import shallow_json

FINAL = {"pass": "passed", "fail": "failed", "skip": "skipped"}
BANNERS = ("=== ", "--- ")


def is_go_json(first: bytes) -> bool:
    try:
        doc = shallow_json.loads(first)
    except ValueError:
        return False
    return isinstance(doc, dict) and "Action" in doc and "$report_type" not in doc


def read(lines: Iterable[bytes], source: str) -> list[RunTest]:
    outcome: dict[tuple[str, str], str] = {}
    output: dict[tuple[str, str], list[str]] = {}
    for number, raw in enumerate(lines, 1):
        event = json_line(raw, source, number) if raw.strip() else {}
        key = (str(event.get("Package", "")), str(event.get("Test") or ""))
        if not key[1]:
            continue
        action = member(event, "Action", str, f"{source}: line {number}")
        if action == "output":
            output.setdefault(key, []).append(str(event.get("Output", "")))
        elif action in FINAL:
            outcome[key] = FINAL[action]
    return [_record(key, result, output.get(key, []), source) for key, result in outcome.items()]


def _record(key: tuple[str, str], outcome: str, lines: list[str], source: str) -> RunTest:
    said = [s.strip() for s in lines if s.strip() and not s.strip().startswith(BANNERS)]
    package, test = key
    return RunTest(f"{package}::{test}", outcome, "\n".join(said)[:500], "", 0, test, source)
