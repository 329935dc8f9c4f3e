"""The job summary: a one-line verdict, then every finding in a markdown table per guard.

GitHub refuses a step summary over 1 MiB, so rows are added worst first until the budget is
spent; a closing line says how many were left out and how to see them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guards.checks import rule
from guards.finding import Finding, GuardResult, Outcome, exit_code
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
    """The whole summary in at most BUDGET bytes (UTF-8), worst rows first."""
    results: Sequence[GuardResult] = report.results
    top = verdict(results, report.base, report.head)
    fixed = len(top.encode()) + sum(len(_frame(r).encode()) for r in results) + _RESERVE
    if fixed > budget:
        return top if len(top.encode()) <= budget else ""
    rows, omitted = _rows_within(results, budget - fixed)
    parts = [top]
    for r in results:
        parts.append(_frame(r) + "".join(rows.get(id(f), "") for f in _sorted(r)))
    if omitted:
        parts.append(
            f"\n_{omitted} more finding(s) not shown: GitHub's step summary holds 1 MiB. "
            "Run `guards run --format json` for all of them._\n"
        )
    return "".join(parts)


def _frame(r: GuardResult) -> str:
    return heading(r) + (("\n" + _HEADER) if r.findings else "")


def _sorted(r: GuardResult) -> list[Finding]:
    return sorted(r.findings, key=lambda f: _ORDER.get(f.outcome, 5))


def _rows_within(results: Sequence[GuardResult], room: int) -> tuple[dict[int, str], int]:
    """Rows (by finding identity) that fit in ROOM bytes, worst first across guards."""
    everything = sorted(
        (f for r in results for f in r.findings), key=lambda f: _ORDER.get(f.outcome, 5)
    )
    kept: dict[int, str] = {}
    for count, f in enumerate(everything):
        text = row(f)
        room -= len(text.encode())
        if room < 0:
            return kept, len(everything) - count
        kept[id(f)] = text
    return kept, 0
