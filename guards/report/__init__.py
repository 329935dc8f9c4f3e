"""Reporters: the only code that prints results (text, json, github, sarif)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from guards.errors import GuardsError
from guards.finding import GuardResult

FORMATS = ("text", "json", "github", "sarif")


@dataclass(frozen=True)
class Report:
    """What one ``guards run`` found."""

    base: str
    head: str
    results: Sequence[GuardResult]


def default_format(env: Mapping[str, str]) -> str:
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def emit(report: Report, fmt: str, output: str | None, env: Mapping[str, str]) -> None:
    """Render REPORT as FMT to OUTPUT (a file) or stdout; github also writes the step summary."""
    write_out(render(report, fmt, env, color=use_color(output, env)), output)


def use_color(output: str | None, env: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never with $NO_COLOR set."""
    return output is None and sys.stdout.isatty() and not env.get("NO_COLOR")


def write_out(text: str, output: str | None) -> None:
    """TEXT to the --output file, or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GuardsError(f"cannot write --output {output}: {exc}") from exc


def render(report: Report, fmt: str, env: Mapping[str, str], *, color: bool = False) -> str:
    """REPORT as FMT; each reporter is imported only when it is used."""
    if fmt == "json":
        from guards.report import json_report

        return json_report.render(report)
    if fmt == "github":
        from guards.report import github

        return github.render(report, env)
    if fmt == "sarif":
        from guards.report import sarif

        return sarif.render(report)
    from guards.report import text

    return text.render(report, color=color or bool(env.get("FORCE_COLOR")))
