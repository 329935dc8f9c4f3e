"""What ``guards hook install`` prints: where the hook went, on stderr (stdout stays empty)."""

from __future__ import annotations

from pathlib import Path

from guards.report.output import to_stderr


def render_installed(hook: Path, chained: Path | None) -> str:
    note = f"; chains {chained}" if chained else ""
    return f"guards: installed {hook}{note}\n"


def installed(hook: Path, chained: Path | None) -> None:
    to_stderr(render_installed(hook, chained))
