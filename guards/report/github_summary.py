"""The job summary: a one-line verdict, then every finding in a markdown table per guard.

GitHub refuses a step summary over 1 MiB, so rows are added worst first, each guard getting
its fair share (report/fair.py), until the budget is spent; a totals table keeps every guard's
counts, and closing lines say how many were left out, per guard, and where all of them are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guards.checks import rule
from guards.finding import Finding, GuardResult, Outcome, exit_code
from guards.report import fair
from guards.waivers.rules import RULES as WAIVER_RULES

SUMMARY_LIMIT = 1024 * 1024
_RESERVE = 512  # the closing note, with room to spare
_VERDICT = {0: "✅ passed", 1: "❌ failed", 2: "⚠️ could not be evaluated"}
_ORDER = {
    Outcome.ERROR: 0,
    Outcome.FAIL: 1,
    Outcome.WARN: 2,
    Outcome.UNKNOWN: 3,
    Outcome.WAIVED: 4,
    Outcome.PASS: 5,
}
_MD_SPECIAL = "\\`*_[]~|!#"
_HEADER = "| outcome | rule | where | message | fix | waived by |\n|---|---|---|---|---|---|\n"


def cell(text: str) -> str:
    """Markdown table cell text: no HTML, no markup, no pipes, one line, valid UTF-8."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in _MD_SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def verdict(results: Sequence[GuardResult], base: str, head: str) -> str:
    """One line: the verdict, how many findings fail the gate, and each guard's status."""
    failing = sum(1 for r in results for f in r.findings if f.failed)
    statuses = ", ".join(f"{r.guard}: {r.status.value}" for r in results) or "no guard ran"
    return (
        f"## guards {_VERDICT[exit_code(results)]}: {failing} finding(s) fail the gate "
        f"({statuses}; {base[:12]}...{head[:12]})\n"
    )


def row(f: Finding) -> str:
    where = f"{f.path}:{f.line}" if f.path and f.line else (f.path or "")
    fix = rule(f.rule) or WAIVER_RULES.get(f.rule)
    remedy = cell(fix.remediation) if fix and f.failed else ""
    waived = cell(f"{f.waiver.by} ({f.waiver.source}): {f.waiver.reason}") if f.waiver else ""
    return (
        f"| {f.outcome.value} | {cell(f.rule)} | {cell(where)} | {cell(f.message)} | {remedy} "
        f"| {waived} |\n"
    )


def heading(r: GuardResult) -> str:
    note = f" ({cell(r.note)})" if r.note else ""
    return f"\n### {r.guard}: {r.status.value}{note}\n"


def summary(report: Any, budget: int = SUMMARY_LIMIT) -> str:
    """The whole summary in at most BUDGET bytes (UTF-8): the verdict, totals per guard, then
    each guard's table. Rows are shared fairly: failing rows first, each guard's worst first,
    round robin across guards, so one guard's 7,500 findings cannot crowd out the others."""
    results: Sequence[GuardResult] = report.results
    top = verdict(results, report.base, report.head)
    estimate = top + totals(results, {}) + "".join(_frame(r) + _GUARD_NOTE for r in results)
    fixed = len(estimate.encode()) + _RESERVE
    if fixed > budget:
        return top if len(top.encode()) <= budget else ""
    rows = _rows_within(results, budget - fixed)
    shown = {r.guard: sum(id(f) in rows for f in r.findings) for r in results}
    parts = [top, totals(results, shown)]
    for r in results:
        parts.append(_frame(r) + "".join(rows.get(id(f), "") for f in _sorted(r)))
        if shown[r.guard] < len(r.findings):
            parts.append(
                f"\n_{len(r.findings) - shown[r.guard]} more {r.guard} finding(s) not shown._\n"
            )
    omitted = sum(len(r.findings) for r in results) - sum(shown.values())
    if omitted:
        parts.append(
            f"\n_{omitted} more finding(s) not shown: GitHub's step summary holds 1 MiB. "
            "Every finding is in the JSON report (the `guards-report` artifact, or "
            "`guards run --format json`)._\n"
        )
    return "".join(parts)


_GUARD_NOTE = "\n_9999999 more finding(s) of a-guard-name-of-some-length not shown._\n"


def totals(results: Sequence[GuardResult], shown: dict[str, int]) -> str:
    """One row per guard: its status and how many findings of each outcome, and shown."""
    if not results:
        return ""
    lines = ["\n| guard | status | error | fail | warn | unknown | pass | shown |\n"]
    lines.append("|---|---|---|---|---|---|---|---|\n")
    for r in results:
        n = {o: sum(f.outcome is o for f in r.findings) for o in _ORDER}
        counts = " | ".join(str(n[o]) for o in _ORDER)
        lines.append(
            f"| {r.guard} | {r.status.value} | {counts} | {shown.get(r.guard, len(r.findings))} |\n"
        )
    return "".join(lines)


def _frame(r: GuardResult) -> str:
    return heading(r) + (("\n" + _HEADER) if r.findings else "")


def _sorted(r: GuardResult) -> list[Finding]:
    return sorted(r.findings, key=lambda f: _ORDER.get(f.outcome, 5))


def _rows_within(results: Sequence[GuardResult], room: int) -> dict[int, str]:
    """Rows (by finding identity) that fit in ROOM bytes: tier by tier (error, fail, warn,
    unknown, pass), each tier shared fairly across guards."""
    texts = {id(f): row(f) for r in results for f in r.findings}
    size = {k: len(v.encode()) for k, v in texts.items()}
    kept: dict[int, str] = {}
    for tier in sorted(set(_ORDER.values()) | {5}):
        groups = [[f for f in _sorted(r) if _ORDER.get(f.outcome, 5) == tier] for r in results]
        picked, _ = fair.share(groups, room, cost=lambda f: size[id(f)])
        for f in (f for g in picked for f in g):
            kept[id(f)] = texts[id(f)]
            room -= size[id(f)]
    return kept
