"""What ``guards hook install`` prints: where the hook went, on stderr (stdout stays empty)."""

from __future__ import annotations

from pathlib import Path

from guards.report.output import to_stderr


def render_installed(hook: Path, chained: Path | None) -> str:
    note = f"; chains {chained}" if chained else ""
    return f"guards: installed {hook}{note}\n"


def installed(hook: Path, chained: Path | None) -> None:
    to_stderr(render_installed(hook, chained))


def removed(hook: Path, restored_from: str | None) -> None:
    """``guards hook uninstall``: what went, and the chained hook put back."""
    note = f"; restored {hook} from {restored_from}" if restored_from else ""
    to_stderr(f"guards: removed the guards pre-push hook{note}\n")


def nothing_to_remove(hook: Path) -> None:
    to_stderr(f"guards: no pre-push hook at {hook}; nothing to remove\n")
