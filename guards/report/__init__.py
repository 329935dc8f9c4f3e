"""Reporters: the only code that prints results (text, json, github, sarif)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guards.core.records import record
from guards.finding import GuardResult
from guards.report import output as output_mod
from guards.report.output import use_color

FORMATS = ("text", "json", "github", "sarif")


@record
class Report:
    """What one ``guards run`` found."""

    base: str
    head: str
    results: Sequence[GuardResult]


def default_format(env: Mapping[str, str]) -> str:
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def emit(report: Report, fmt: str, output: str | None, env: Mapping[str, str]) -> None:
    """Render REPORT as FMT to OUTPUT (a file) or stdout; github also fills the step summary
    and the step outputs."""
    if fmt == "github":
        from guards.report import github

        room = github.summary_room(env)
        files = github.step_files(report, room)
        output_mod.append_to(env.get("GITHUB_STEP_SUMMARY"), files.summary)
        output_mod.append_to(env.get("GITHUB_OUTPUT"), files.outputs)
    output_mod.deliver(render(report, fmt, env, color=use_color(output, env)), output)


def render(report: Report, fmt: str, env: Mapping[str, str], *, color: bool = False) -> str:
    """REPORT as FMT; each reporter is imported only when it is used."""
    if fmt == "json":
        from guards.report import json_report

        return json_report.render(report)
    if fmt == "github":
        from guards.report import github

        return github.render(report)
    if fmt == "sarif":
        from guards.report import sarif

        return sarif.render(report)
    from guards.report import text

    return text.render(report, color=color or bool(env.get("FORCE_COLOR")))
