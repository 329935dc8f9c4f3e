"""pytest-reportlog JSON lines -> ``RunTest`` records (identity is the node id as written).

Each test has up to three ``TestReport`` lines (setup, call, teardown). A failed setup or
teardown is ``error``; a skipped phase is ``skipped`` (``xfailed`` when it carries
``wasxfail``); a passed call with ``wasxfail`` is ``xpassed``. ``location`` is
``[path, 0-based line, domain]``; ``longrepr`` of a skip is ``[path, line, "Skipped: why"]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from guards.collect.reports.model import RunTest, json_line, member


def read(lines: Iterable[bytes], source: str) -> list[RunTest]:
    phases: dict[str, list[dict[str, Any]]] = {}
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            doc = json_line(raw, source, number)
            if doc.get("$report_type") == "TestReport" and isinstance(doc.get("nodeid"), str):
                member(doc, "location", list, f"{source}: line {number}")  # (path, line, name)
                phases.setdefault(doc["nodeid"], []).append(doc)
    return [_record(node, docs, source) for node, docs in phases.items()]


def _record(node: str, docs: list[dict[str, Any]], source: str) -> RunTest:
    outcome, message = _outcome(docs)
    location = docs[0].get("location") or ["", None, ""]
    path = str(location[0]) if location else ""
    line = location[1] + 1 if len(location) > 1 and isinstance(location[1], int) else 0
    name = node.rpartition("::")[2]
    return RunTest(node, outcome, message, path, line, name, source)


def _outcome(docs: list[dict[str, Any]]) -> tuple[str, str]:
    for doc in docs:
        outcome, when = doc.get("outcome"), doc.get("when")
        if outcome == "failed":
            return ("failed" if when == "call" else "error"), _message(doc)
        if outcome == "skipped":
            return ("xfailed" if doc.get("wasxfail") is not None else "skipped"), _message(doc)
    xpassed = any(d.get("when") == "call" and d.get("wasxfail") is not None for d in docs)
    return ("xpassed" if xpassed else "passed"), ""


def _message(doc: dict[str, Any]) -> str:
    if doc.get("wasxfail"):
        return str(doc["wasxfail"])[:500]
    longrepr = doc.get("longrepr")
    if isinstance(longrepr, list) and len(longrepr) == 3:
        return str(longrepr[2])[:500]
    return str(longrepr or "")[:500]
