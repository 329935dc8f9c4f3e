"""GitHub Actions: annotations for the worst findings, everything in the step summary.

Untrusted text (messages, paths) is escaped so it cannot start a workflow command: data
escapes ``%``, CR and LF; properties also escape ``:`` and ``,``; a ``::`` inside a
message is broken with a zero-width space.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from guards.checks import rule
from guards.errors import GuardsError
from guards.finding import Finding, GuardResult, Outcome, is_ok

MAX_ERRORS = 10
MAX_WARNINGS = 10
SUMMARY_LIMIT = 1024 * 1024
_LEVEL = {
    Outcome.ERROR: "error",
    Outcome.FAIL: "error",
    Outcome.WARN: "warning",
    Outcome.UNKNOWN: "warning",
}


def escape_data(text: str) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace("::", ":\u200b:")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(guard: str, f: Finding) -> str:
    props = []
    if f.path:
        props.append(f"file={escape_property(f.path)}")
        if f.line:
            props.append(f"line={f.line}")
    props.append(f"title={escape_property(f'{guard}: {f.rule}')}")
    return f"::{_LEVEL[f.outcome]} {','.join(props)}::{escape_data(f.message)}"


def annotation_lines(results: Sequence[GuardResult]) -> list[str]:
    """At most 10 errors and 10 warnings: GitHub shows no more per step."""
    flagged = [(r.guard, f) for r in results for f in r.findings if f.outcome in _LEVEL]
    errors = [a for a in flagged if _LEVEL[a[1].outcome] == "error"][:MAX_ERRORS]
    warnings = [a for a in flagged if _LEVEL[a[1].outcome] == "warning"][:MAX_WARNINGS]
    return [annotation(g, f) for g, f in errors + warnings]


def render(report: Any, env: Mapping[str, str]) -> str:
    lines = annotation_lines(report.results)
    hidden = sum(1 for r in report.results for f in r.findings if f.outcome in _LEVEL)
    hidden -= len(lines)
    if hidden > 0:
        lines.append(f"::notice title=guards::{hidden} more finding(s) are in the job summary")
    _append(env.get("GITHUB_STEP_SUMMARY"), summary(report))
    _append(env.get("GITHUB_OUTPUT"), outputs(report.results))
    return "\n".join(lines) + ("\n" if lines else "")


def outputs(results: Sequence[GuardResult]) -> str:
    count = sum(1 for r in results for f in r.findings if f.failed)
    return f"ok={'true' if is_ok(results) else 'false'}\nfindings={count}\n"


def cell(text: str) -> str:
    """Markdown table cell: no pipes, no newlines, no HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ").replace("`", "'")


def summary(report: Any) -> str:
    results: Sequence[GuardResult] = report.results
    verdict = "passed" if is_ok(results) else "failed"
    parts = [f"## guards: {verdict} ({report.base[:12]}..{report.head[:12]})\n"]
    for r in results:
        parts.append(_guard_table(r))
    text = "\n".join(parts)
    if len(text.encode()) > SUMMARY_LIMIT - 1024:
        cut = text.encode()[: SUMMARY_LIMIT - 1024].decode(errors="ignore")
        text = cut + "\n\n_... truncated to stay under GitHub's 1 MiB summary limit._\n"
    return text


def _guard_table(r: GuardResult) -> str:
    head = f"### {r.guard}: {r.status.value}" + (f" ({cell(r.note)})" if r.note else "")
    if not r.findings:
        return head + "\n"
    rows = ["| outcome | rule | where | message | fix |", "|---|---|---|---|---|"]
    for f in r.findings:
        where = f"{f.path}:{f.line}" if f.path and f.line else (f.path or "")
        fix = rule(f.rule)
        rows.append(
            f"| {f.outcome.value} | {f.rule} | {cell(where)} | {cell(f.message)} | "
            f"{cell(fix.remediation) if fix and f.failed else ''} |"
        )
    return head + "\n\n" + "\n".join(rows) + "\n"


def _append(path: str | None, text: str) -> None:
    if not path:
        return
    try:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise GuardsError(f"cannot append to {path}: {exc}") from exc
