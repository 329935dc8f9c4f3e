"""Readable terminal output, coloured on a TTY."""

from __future__ import annotations

from typing import Any

from guards.finding import Finding, GuardResult, Outcome, Status, exit_code

_COLORS = {
    "pass": "32",
    "fail": "31",
    "error": "35",
    "warn": "33",
    "unknown": "36",
    "not-applicable": "90",
    "waived": "34",
}
_MARKS = {
    Status.PASS: "ok",
    Status.FAIL: "FAIL",
    Status.ERROR: "ERROR",
    Status.NOT_APPLICABLE: "n/a",
}


def paint(text: str, key: str, color: bool) -> str:
    return f"\x1b[{_COLORS[key]}m{text}\x1b[0m" if color else text


def safe(text: str) -> str:
    """Untrusted text on one line: control characters made visible."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def safe_line(text: str) -> str:
    """Untrusted text that starts a line: ``safe``, and never a workflow command (a leading
    ``::``, after any spaces, gets a zero-width space between its colons, as in annotations)."""
    shown = safe(text)
    rest = shown.lstrip()
    if not rest.startswith("::"):
        return shown
    return shown[: len(shown) - len(rest)] + ":\u200b" + rest[1:]


def render(report: Any, *, color: bool = False) -> str:
    lines = [
        f"guards: base {report.base[:12]} .. head {report.head[:12]}"
        if report.base
        else "guards: no revisions resolved"  # stopped before the change was known
    ]
    for r in report.results:
        lines += _guard_lines(r, color)
    code = exit_code(report.results)
    verdict = {0: "all guards pass", 1: "violations found", 2: "could not evaluate"}[code]
    lines.append(paint(f"{verdict} (exit {code})", ("pass", "fail", "error")[code], color))
    return "\n".join(lines) + "\n"


def _guard_lines(r: GuardResult, color: bool) -> list[str]:
    head = f"{_MARKS[r.status]:>5}  {r.guard}"
    if r.note:
        head += f"  ({safe(r.note)})"
    shown = [f for f in r.findings if f.outcome is not Outcome.PASS] or list(r.findings)
    return [paint(head, r.status.value, color), *(_finding_line(f, color) for f in shown)]


def _finding_line(f: Finding, color: bool) -> str:
    where = f" [{safe(f.path)}{f':{f.line}' if f.line else ''}]" if f.path else ""
    outcome = paint(f.outcome.value, f.outcome.value, color)
    by = f" (waived by {safe(f.waiver.by)}: {safe(f.waiver.reason)})" if f.waiver else ""
    return f"       {outcome} {f.rule}{where}: {safe(f.message)}{by}"
