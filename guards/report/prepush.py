"""What ``guards prepush`` prints: on stderr, where git shows a hook's messages."""

from __future__ import annotations

from collections.abc import Sequence

from guards.finding import Finding
from guards.report.output import to_stderr
from guards.report.text import safe


def render(policy: str, findings: Sequence[Finding]) -> str:
    refused = [f for f in findings if f.failed]
    if not refused:
        return f"guards prepush: ok, {len(findings)} ref update(s) allowed (policy {policy})\n"
    lines = [f"guards prepush: push refused (policy {safe(policy)})"]
    lines += [f"  {f.rule} [{safe(f.path or '')}]: {safe(f.message)}" for f in refused]
    lines.append("guards prepush: nothing was pushed (exit 1)")
    return "\n".join(lines) + "\n"


def emit(policy: str, findings: Sequence[Finding]) -> None:
    to_stderr(render(policy, findings))


def run_header(branch: str, base: str, head: str) -> None:
    """Which pushed branch the following ``guards run`` report judges."""
    to_stderr(f"guards run: pushed branch {safe(branch)} ({base[:12]}...{head[:12]})\n")
