"""Printing for ``guards skips list`` (text or JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from guards.collect.model import TestItem
from guards.report.output import to_stdout
from guards.report.text import safe, safe_line


def entry(test: TestItem) -> dict[str, Any]:
    """One skipped test: its node id, its first skip's kind, and where that skip is."""
    skip = test.skips[0]
    line = skip.line if skip.line and not skip.path else test.line
    return {
        "test": test.nodeid,
        "kind": skip.kind,
        "path": test.path,
        "line": line,
        "detail": skip.describe() if skip.path else skip.phrase,
    }


def render_json(sha: str, tests: Sequence[TestItem]) -> str:
    doc = {"rev": sha, "skipped": [entry(t) for t in tests]}
    return json.dumps(doc, indent=2) + "\n"


def render_text(sha: str, tests: Sequence[TestItem]) -> str:
    lines = []
    for test in tests:
        e = entry(test)
        lines.append(f"{safe_line(e['test'])}  [{e['kind']}]  {safe(e['path'])}:{e['line']}")
        lines.append(f"    {safe_line(e['detail'])}")
    lines.append(f"{len(tests)} skipped test(s) at {sha[:12]}")
    return "\n".join(lines) + "\n"


def emit(sha: str, tests: Sequence[TestItem], fmt: str) -> None:
    text = render_json(sha, tests) if fmt == "json" else render_text(sha, tests)
    to_stdout(text)
