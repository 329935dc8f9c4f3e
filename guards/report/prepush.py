"""What ``guards prepush`` prints: on stderr, where git shows a hook's messages."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from guards.finding import Finding
from guards.report.text import safe


def render(policy: str, findings: Sequence[Finding]) -> str:
    refused = [f for f in findings if f.failed]
    if not refused:
        return f"guards prepush: ok, {len(findings)} ref update(s) allowed (policy {policy})\n"
    lines = [f"guards prepush: push refused (policy {safe(policy)})"]
    lines += [f"  {f.rule} [{safe(f.path or '')}]: {safe(f.message)}" for f in refused]
    lines.append("guards prepush: nothing was pushed (exit 1)")
    return "\n".join(lines) + "\n"


def emit(policy: str, findings: Sequence[Finding], stream: TextIO | None = None) -> None:
    out = stream or sys.stderr
    out.write(render(policy, findings))
    out.flush()


def run_header(branch: str, base: str, head: str, stream: TextIO | None = None) -> None:
    """Which pushed branch the following ``guards run`` report judges."""
    out = stream or sys.stderr
    out.write(f"guards run: pushed branch {safe(branch)} ({base[:12]}...{head[:12]})\n")
    out.flush()
