"""GitHub Actions: annotations for the worst findings, everything in the step summary.

A step shows at most 10 error and 10 warning annotations, so the worst go first: outcome error
(could not evaluate), then fail, then warn/unknown; one notice says how many more are in the
summary. Untrusted text (messages, paths) is escaped so it cannot start a workflow command,
and no more than that (actions/toolkit's escapeData / escapeProperty): data escapes ``%``, CR
and LF, so a message can never begin a line, and the runner reads a command only at the start
of a line, so a ``::`` inside a message is data and stays as written (a pytest node id in an
annotation can be pasted back into pytest; a zero-width space would break it); properties
escape ``%``, CR, LF, ``:`` and ``,``. ``ok`` and ``findings`` go to $GITHUB_OUTPUT.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from guards.core.records import record
from guards.finding import Finding, GuardResult, Outcome, is_ok
from guards.report import fair
from guards.report import github_summary as md
from guards.report.output import size_of

MAX_ERRORS = 10
MAX_WARNINGS = 10
_LEVEL = {
    Outcome.ERROR: "error",
    Outcome.FAIL: "error",
    Outcome.WARN: "warning",
    Outcome.UNKNOWN: "warning",
}
_RANK = {Outcome.ERROR: 0, Outcome.FAIL: 1, Outcome.WARN: 2, Outcome.UNKNOWN: 2}


def _percent(text: str) -> str:
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


# A '::' right after a line break other than CR/LF (which are %-escaped): a reader that splits
# there (Python's splitlines, some log viewers) would see a command start; only that '::' is
# broken, with a zero-width space. Any other '::' (a pytest node id) stays as written.
_HIDDEN_START = re.compile(r"([\v\f\x1c\x1d\x1e\x85\u2028\u2029]\s*):(?=:)")


def escape_data(text: str) -> str:
    """The message after ``::cmd props::``: CR and LF escaped, so it never starts a line."""
    return _HIDDEN_START.sub("\\1:\u200b", _percent(text))


def escape_property(text: str) -> str:
    """Every ':' is escaped, so a property round-trips exactly (a file name stays matchable)."""
    return _percent(text).replace(":", "%3A").replace(",", "%2C")


def annotation(guard: str, f: Finding) -> str:
    props = []
    if f.path:
        props.append(f"file={escape_property(f.path)}")
        if f.line:
            props.append(f"line={f.line}")
    props.append(f"title={escape_property(f'{guard}: {f.rule}')}")
    return f"::{_LEVEL[f.outcome]} {','.join(props)}::{escape_data(f.message)}"


def flagged(results: Sequence[GuardResult]) -> list[tuple[str, Finding]]:
    """Findings worth an annotation, worst first (stable within one outcome)."""
    found = [(r.guard, f) for r in results for f in r.findings if f.outcome in _LEVEL]
    return sorted(found, key=lambda item: _RANK[item[1].outcome])


def annotation_lines(results: Sequence[GuardResult]) -> list[str]:
    """At most 10 errors and 10 warnings (GitHub shows no more per step), shared fairly: each
    guard's worst first, round robin across guards (7,500 skip-set findings leave room for the
    other guards' errors)."""
    return _level_lines(results, "error", MAX_ERRORS) + _level_lines(
        results, "warning", MAX_WARNINGS
    )


def _level_lines(results: Sequence[GuardResult], level: str, limit: int) -> list[str]:
    """Up to LIMIT annotations of LEVEL: rank by rank (errors that stopped a guard before
    violations), each rank shared fairly across guards."""
    lines: list[str] = []
    for rank in sorted({_RANK[o] for o, lv in _LEVEL.items() if lv == level}):
        groups = [[f for f in r.findings if _RANK.get(f.outcome) == rank] for r in results]
        kept, _ = fair.share(groups, limit - len(lines))
        lines += [annotation(r.guard, f) for r, fs in zip(results, kept, strict=True) for f in fs]
    return lines


def _rank(f: Finding) -> int:
    return _RANK[f.outcome]


def render(report: Any) -> str:
    """The annotations, worst first, and a notice for those GitHub would not show."""
    lines = annotation_lines(report.results)
    hidden = len(flagged(report.results)) - len(lines)
    if hidden > 0:
        lines.append(f"::notice title=guards::{hidden} more finding(s) are in the job summary")
    if is_ok(report.results):  # a pass says so: silence looks like guards did not run
        lines.append(f"::notice title=guards::{escape_data(passed(report.results))}")
    return "\n".join(lines) + ("\n" if lines else "")


@record
class StepFiles:
    """What goes to $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT."""

    summary: str
    outputs: str


def summary_room(env: Mapping[str, str]) -> int:
    """Bytes left in the step summary (other steps may have written to it already)."""
    path = env.get("GITHUB_STEP_SUMMARY")
    return md.SUMMARY_LIMIT - size_of(path) if path else 0


def step_files(report: Any, room: int) -> StepFiles:
    return StepFiles(md.summary(report, room) if room > 0 else "", outputs(report.results))


def passed(results: Sequence[GuardResult]) -> str:
    """``guards passed: skip-set pass, spec-ref not-applicable``."""
    return "guards passed: " + (
        ", ".join(f"{r.guard} {r.status.value}" for r in results) or "no guard ran"
    )


def outputs(results: Sequence[GuardResult]) -> str:
    count = sum(1 for r in results for f in r.findings if f.failed)
    return f"ok={'true' if is_ok(results) else 'false'}\nfindings={count}\n"
