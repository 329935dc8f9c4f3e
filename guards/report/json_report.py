"""The stable, versioned JSON report (DESIGN.md section 3)."""

from __future__ import annotations

import json
from typing import Any

from guards.finding import Finding, GuardResult, is_ok

SCHEMA_VERSION = 1


def finding_dict(f: Finding) -> dict[str, Any]:
    d: dict[str, Any] = {
        "rule": f.rule,
        "outcome": f.outcome.value,
        "message": f.message,
        "path": f.path,
        "line": f.line,
    }
    if f.test is not None:
        d["test"] = f.test
    if f.waiver is not None:
        d["waiver"] = {"by": f.waiver.by, "reason": f.waiver.reason, "source": f.waiver.source}
    return d


def guard_dict(r: GuardResult) -> dict[str, Any]:
    d: dict[str, Any] = {
        "guard": r.guard,
        "status": r.status.value,
        "findings": [finding_dict(f) for f in r.findings],
    }
    if r.note:
        d["note"] = r.note
    return d


def render(report: Any) -> str:
    doc = {
        "schema": SCHEMA_VERSION,
        "base": report.base,
        "head": report.head,
        "ok": is_ok(report.results),
        "guards": [guard_dict(r) for r in report.results],
    }
    return json.dumps(doc, indent=2) + "\n"  # ASCII: names that are not UTF-8 stay valid JSON
