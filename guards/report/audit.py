"""The report of ``guards protection audit``: a findings table (text), JSON, or through the
shared github / sarif renderers (one guard result per branch)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from guards.core.records import record
from guards.finding import Finding, GuardResult, exit_code, is_ok
from guards.report import Report, render
from guards.report.json_report import SCHEMA_VERSION, guard_dict
from guards.report.output import deliver, use_color
from guards.report.text import paint, safe

_VERDICTS = {0: "every requirement met", 1: "requirements not met", 2: "could not evaluate"}


@record
class AuditReport:
    repo: str
    policy: str
    branches: tuple[GuardResult, ...]  # guard = the branch name


def render_audit(report: AuditReport, fmt: str, env: Mapping[str, str], color: bool) -> str:
    if fmt == "text":
        return render_text(report, color=color)
    if fmt == "json":
        return render_json(report)
    results = [GuardResult(f"protected-branch: {r.guard}", r.findings) for r in report.branches]
    return render(Report(report.repo, report.policy, results), fmt, env)


def _detail(branch: str, f: Finding) -> str:
    return safe(f.message.removeprefix(f"{branch}: "))


def render_text(report: AuditReport, *, color: bool = False) -> str:
    rows = [(r.guard, f) for r in report.branches for f in r.findings]
    width = max([len("branch"), *(len(safe(b)) for b, _ in rows)])
    lines = [
        f"guards protection audit: {safe(report.repo)} (policy {safe(report.policy)})",
        f"{'branch':<{width}}  {'requirement':<28} {'outcome':<8} detail",
        f"{'-' * width}  {'-' * 28} {'-' * 8} {'-' * 6}",
    ]
    for branch, f in rows:
        outcome = paint(f"{f.outcome.value:<8}", f.outcome.value, color)
        lines.append(f"{safe(branch):<{width}}  {f.rule:<28} {outcome} {_detail(branch, f)}")
    code = exit_code(report.branches)
    lines.append(paint(f"{_VERDICTS[code]} (exit {code})", ("pass", "fail", "error")[code], color))
    return "\n".join(lines) + "\n"


def render_json(report: AuditReport) -> str:
    doc = {
        "schema": SCHEMA_VERSION,
        "repo": report.repo,
        "policy": report.policy,
        "ok": is_ok(report.branches),
        "branches": [_branch_dict(r) for r in report.branches],
    }
    return json.dumps(doc, indent=2) + "\n"


def _branch_dict(r: GuardResult) -> dict[str, Any]:
    d = guard_dict(r)
    return {"branch": d.pop("guard"), **d}


def emit(report: AuditReport, fmt: str, output: str | None, env: Mapping[str, str]) -> None:
    deliver(render_audit(report, fmt, env, use_color(output, env)), output)
